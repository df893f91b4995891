-- Numbered choices belong to the person they were offered to: in a group, one citizen's "1" must not answer
-- another citizen's question. Offers live a few days; the old ones are simply dropped.
DROP TABLE text_choices;
CREATE TABLE text_choices (
    channel     TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,   -- '' when offered to the whole chat
    choices     TEXT    NOT NULL,
    offered_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id, user_id)
) WITHOUT ROWID;
