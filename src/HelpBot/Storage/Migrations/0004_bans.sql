-- Citizens an admin has barred from opening tickets (spam, abuse). By (channel, user id).
CREATE TABLE banned_users (
    channel    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    banned_at  INTEGER NOT NULL,
    banned_by  TEXT    NOT NULL,
    reason     TEXT,
    PRIMARY KEY (channel, user_id)
) WITHOUT ROWID;
