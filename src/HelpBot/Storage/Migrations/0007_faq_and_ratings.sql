-- Answers the desk gives by itself to common questions, and the citizens' satisfaction ratings.
CREATE TABLE faq_entries (
    id          INTEGER PRIMARY KEY,
    keywords    TEXT    NOT NULL,   -- comma-separated phrases, all of which a question must contain (folded)
    answer      TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
ALTER TABLE tickets ADD COLUMN faq_entry_id INTEGER REFERENCES faq_entries (id);
ALTER TABLE tickets ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
