-- +goose Up
-- DfE's identifiers for our records: a participant's DfE participant id and TRN, an
-- enrolment's DfE application with its course, cohort, schedule and funded place, and a
-- delivery partner's DfE id. Unique where DfE's ids are unique.
ALTER TABLE users ADD COLUMN dfe_participant_id uuid UNIQUE;
ALTER TABLE users ADD COLUMN trn text CHECK (trn ~ '^[0-9]{7}$');

ALTER TABLE enrolments ADD COLUMN dfe_application_id uuid UNIQUE;
ALTER TABLE enrolments ADD COLUMN dfe_course_identifier text;
ALTER TABLE enrolments ADD COLUMN dfe_cohort text CHECK (dfe_cohort ~ '^[0-9]{4}[a-z]?$');
ALTER TABLE enrolments ADD COLUMN dfe_schedule_identifier text;
ALTER TABLE enrolments ADD COLUMN dfe_funded_place boolean;

ALTER TABLE delivery_partners ADD COLUMN dfe_id uuid UNIQUE;

-- DfE retires a participant id when it merges two records of one person (HTTP 410 with
-- participant_id_changes); each change followed is kept.
CREATE TABLE dfe_participant_id_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    from_id     uuid NOT NULL,
    to_id       uuid NOT NULL,
    changed_at  timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (from_id, to_id)
);
CREATE INDEX dfe_participant_id_changes_user_idx ON dfe_participant_id_changes (user_id);

-- +goose Down
DROP TABLE dfe_participant_id_changes;
ALTER TABLE delivery_partners DROP COLUMN dfe_id;
ALTER TABLE enrolments DROP COLUMN dfe_funded_place, DROP COLUMN dfe_schedule_identifier, DROP COLUMN dfe_cohort,
    DROP COLUMN dfe_course_identifier, DROP COLUMN dfe_application_id;
ALTER TABLE users DROP COLUMN trn, DROP COLUMN dfe_participant_id;
