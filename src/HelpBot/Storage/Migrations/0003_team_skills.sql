-- Skills-based routing: what each member answers best, and whether they are away.
ALTER TABLE team_members ADD COLUMN skills TEXT NOT NULL DEFAULT '';   -- category codes, comma-separated
ALTER TABLE team_members ADD COLUMN away INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, state);
