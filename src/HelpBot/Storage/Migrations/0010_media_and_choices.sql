-- Attachments that arrived with a public address (Zalo gives one; Telegram does not): the address lets
-- the desk carry a photo to a chat on another channel, where copying a message is impossible.
CREATE TABLE media (
    channel      TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX media_by_user ON media (channel, user_id);

-- Channels without buttons offer numbered choices instead ("1. Đã giải quyết"); the latest offer per
-- chat turns a reply of "1" back into the button it stands for.
CREATE TABLE text_choices (
    channel     TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    choices     TEXT    NOT NULL,
    offered_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
) WITHOUT ROWID;
