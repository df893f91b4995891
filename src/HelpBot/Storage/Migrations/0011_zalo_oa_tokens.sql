-- The Zalo Official Account's OAuth tokens, newest row last. Zalo's refresh token is single-use: each
-- refresh returns a new pair and retires the old one, so a new pair is committed here before its access
-- token is used, and refresh_started_at is committed before a row's refresh token is sent, so a restart
-- knows that token may have been used up. Only the newest two rows keep their tokens; every row keeps the
-- hash of its refresh token, which tells a newly pasted HelpBot:Zalo:OA:RefreshToken from one already used.
CREATE TABLE zalo_oa_tokens (
    id                  INTEGER PRIMARY KEY,
    refresh_token       TEXT,
    refresh_token_hash  TEXT    NOT NULL,
    access_token        TEXT,
    access_expires_at   INTEGER,
    source              TEXT    NOT NULL CHECK (source IN ('settings', 'refresh')),
    obtained_at         INTEGER NOT NULL,
    refresh_started_at  INTEGER
);
CREATE INDEX zalo_oa_tokens_by_hash ON zalo_oa_tokens (refresh_token_hash);
