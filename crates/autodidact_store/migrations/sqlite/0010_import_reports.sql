-- What an import said about the file it read (estimates missing or guessed, titles shortened,
-- what was skipped) and the progress the file recorded (a line `done ITEM` or `doing ITEM` each),
-- kept with the curriculum it made: the learner reads the report again, and their first follow
-- of it starts with that progress.
CREATE TABLE import_reports (
    curriculum_id INTEGER NOT NULL,
    format TEXT NOT NULL,
    notes TEXT NOT NULL,
    progress TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT import_reports_pkey PRIMARY KEY (curriculum_id),
    CONSTRAINT import_reports_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE
) STRICT;
