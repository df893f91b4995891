-- HelpBot schema, version 1.
-- Times are UTC Unix milliseconds (INTEGER): cheap to compare and subtract in SQL, and the same
-- representation maps directly to a PostgreSQL bigint. Channel-neutral ids are TEXT.

CREATE TABLE inbox (
    channel      TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    received_at  INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,          -- handled | ignored | failed
    PRIMARY KEY (channel, event_id)
) WITHOUT ROWID;

CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    channel            TEXT    NOT NULL,
    chat_id            TEXT    NOT NULL,
    chat_title         TEXT,
    chat_kind          TEXT    NOT NULL,    -- private | group
    message_id         TEXT    NOT NULL,    -- the citizen's question
    citizen_id         TEXT    NOT NULL,
    citizen_name       TEXT    NOT NULL,
    question           TEXT    NOT NULL,
    category           TEXT    NOT NULL DEFAULT 'khac',
    state              TEXT    NOT NULL,
    assignee_id        TEXT,
    assignee_name      TEXT,
    created_at         INTEGER NOT NULL,
    claimed_at         INTEGER,
    first_response_at  INTEGER,
    answered_at        INTEGER,
    resolved_at        INTEGER,
    reopen_count       INTEGER NOT NULL DEFAULT 0,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX tickets_open ON tickets (state, created_at) WHERE state NOT IN ('Resolved', 'Cancelled');
CREATE INDEX tickets_by_citizen ON tickets (channel, chat_id, citizen_id, state);
CREATE INDEX tickets_answered ON tickets (answered_at) WHERE state = 'Answered';

CREATE TABLE ticket_events (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    at           INTEGER NOT NULL,
    kind         TEXT    NOT NULL,          -- Created, Claimed, Answered, FollowUp, ...
    from_state   TEXT,
    to_state     TEXT,
    actor_id     TEXT,                      -- channel:user id, or 'system'
    actor_name   TEXT,
    detail       TEXT
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

CREATE TABLE conversations (
    channel             TEXT    NOT NULL,
    chat_id             TEXT    NOT NULL,
    user_id             TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    ticket_id           INTEGER REFERENCES tickets (id),
    pending_message_id  TEXT,               -- an attachment sent before the question was
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id, user_id)
) WITHOUT ROWID;

CREATE TABLE team_members (
    channel       TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    joined_at     INTEGER NOT NULL,
    joined_how    TEXT    NOT NULL,         -- staff-chat | admin | config
    PRIMARY KEY (channel, user_id)
) WITHOUT ROWID;

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    channel          TEXT    NOT NULL,
    chat_id          TEXT    NOT NULL,
    chat_kind        TEXT    NOT NULL,      -- private | group | staff
    kind             TEXT    NOT NULL,      -- Text | Copy | Edit | ButtonAnswer | Document
    priority         INTEGER NOT NULL,      -- 0 answers, 1 staff cards, 2 acknowledgements
    ticket_id        INTEGER REFERENCES tickets (id),
    payload          TEXT    NOT NULL,      -- OutboundMessage as JSON
    state            TEXT    NOT NULL DEFAULT 'pending',   -- pending | sent | dead
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    last_error       TEXT
);
CREATE INDEX outbox_pending ON outbox (priority, id) WHERE state = 'pending';
-- The head of each chat's queue: min(id) per chat among pending rows.
CREATE INDEX outbox_pending_by_chat ON outbox (channel, chat_id, id) WHERE state = 'pending';

CREATE TABLE message_links (
    channel     TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    role        TEXT    NOT NULL,           -- question | ack | card | relay | answer | followup
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX message_links_by_ticket ON message_links (ticket_id, role);

-- What admins did that is not about one ticket (roster changes): the audit trail's other half.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL
);

CREATE TABLE ignored_chats (
    channel        TEXT    NOT NULL,
    chat_id        TEXT    NOT NULL,
    title          TEXT,
    first_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
) WITHOUT ROWID;
