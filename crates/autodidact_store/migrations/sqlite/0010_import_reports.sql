-- What an import said about the file it read (estimates missing or guessed, titles shortened,
-- what was skipped), kept with the curriculum it made so that the learner can read it again.
CREATE TABLE import_reports (
    curriculum_id INTEGER NOT NULL,
    format TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT import_reports_pkey PRIMARY KEY (curriculum_id),
    CONSTRAINT import_reports_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE
) STRICT;
