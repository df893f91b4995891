-- One message may now stand for several tickets: when a group's send budget is short, the outbox
-- announces several new tickets in one staff message (and acknowledges several questions at once).
CREATE TABLE message_links_new (
    channel     TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    role        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id, ticket_id)
) WITHOUT ROWID;
INSERT INTO message_links_new SELECT channel, chat_id, message_id, ticket_id, role, created_at FROM message_links;
DROP TABLE message_links;
ALTER TABLE message_links_new RENAME TO message_links;
CREATE INDEX message_links_by_ticket ON message_links (ticket_id, role);
