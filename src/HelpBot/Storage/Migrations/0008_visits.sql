-- Home visits: a village team visits an elderly or less mobile citizen; the request, the claim and the
-- outcome are kept with their times.
CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id),
    village       TEXT    NOT NULL,
    note          TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    requested_at  INTEGER NOT NULL,
    claimed_by    TEXT,
    claimed_at    INTEGER,
    done_at       INTEGER,
    outcome       TEXT
);
CREATE INDEX visits_by_ticket ON visits (ticket_id);
