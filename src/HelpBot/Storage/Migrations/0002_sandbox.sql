-- The training sandbox's chats: the messages people type in the local web page and what the bot
-- sends back. Only the sandbox channel uses this table; a production database keeps it empty.
CREATE TABLE sandbox_messages (
    id            INTEGER PRIMARY KEY,          -- the message id, unique across the sandbox's chats
    chat_id       TEXT    NOT NULL,
    from_id       TEXT    NOT NULL,
    from_name     TEXT    NOT NULL,
    is_bot        INTEGER NOT NULL DEFAULT 0,
    kind          TEXT    NOT NULL DEFAULT 'text',   -- text | photo | document
    text          TEXT,
    reply_to      INTEGER,
    buttons       TEXT,                         -- JSON rows of {text, data}
    file_name     TEXT,
    file_content  BLOB,
    sent_at       INTEGER NOT NULL,
    edited_at     INTEGER
);
CREATE INDEX sandbox_messages_by_chat ON sandbox_messages (chat_id, id);
