-- Service levels: due times stored on the ticket when it is created or reopened (working time, per
-- category), and each notice (reminder at 75 %, escalation at the breach, idle release) sent once per
-- cycle of the ticket, across restarts.
ALTER TABLE tickets ADD COLUMN first_response_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_remind_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_remind_at INTEGER;
CREATE INDEX tickets_first_response_due ON tickets (first_response_remind_at) WHERE first_response_at IS NULL;
CREATE INDEX tickets_resolution_due ON tickets (resolution_remind_at) WHERE state NOT IN ('Resolved', 'Cancelled');

CREATE TABLE sla_notices (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    kind       TEXT    NOT NULL,   -- first-response-reminder | first-response-breach | resolution-reminder | resolution-breach | idle-release
    cycle      INTEGER NOT NULL,   -- the reopen count (targets) or the claim's last activity (idle) it was sent for
    at         INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, kind, cycle)
) WITHOUT ROWID;

-- Durations in working time, stamped when the step happens (the calendar of that day applies).
ALTER TABLE tickets ADD COLUMN first_response_work_seconds INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_work_seconds INTEGER;
