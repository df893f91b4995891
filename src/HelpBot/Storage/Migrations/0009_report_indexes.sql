-- Reports read by time: what was answered, resolved, claimed or reopened in a period. Without these,
-- /stats over a long history scans every ticket and event (seconds at a million tickets).
CREATE INDEX ticket_events_by_kind_time ON ticket_events (kind, at);
CREATE INDEX tickets_by_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_resolved_by_time ON tickets (resolved_at) WHERE state = 'Resolved';
CREATE INDEX tickets_by_assignee_first_response ON tickets (assignee_id, first_response_at);
