-- +goose Up
-- DfE's view of our participants and declarations, copied by the reconciliation sync
-- (participants and declarations changed since the last sync, reaching back two windows, and
-- every one once a week), and the mismatches found by comparing it with ours.

-- One row per DfE participant and course: DfE's training status, schedule and cohort.
CREATE TABLE dfe_participants (
    participant_id      uuid NOT NULL,
    course_identifier   text NOT NULL,
    full_name           text NOT NULL DEFAULT '',
    training_status     text NOT NULL,
    schedule_identifier text NOT NULL DEFAULT '',
    cohort              text NOT NULL DEFAULT '',
    dfe_updated_at      timestamptz NOT NULL,
    synced_at           timestamptz NOT NULL,
    PRIMARY KEY (participant_id, course_identifier)
);

-- Every declaration DfE holds for us, whoever made it, with DfE's state.
CREATE TABLE dfe_declarations_seen (
    dfe_id            uuid PRIMARY KEY,
    participant_id    uuid NOT NULL,
    course_identifier text NOT NULL,
    declaration_type  text NOT NULL,
    declaration_date  timestamptz NOT NULL,
    state             text NOT NULL,
    dfe_updated_at    timestamptz NOT NULL,
    synced_at         timestamptz NOT NULL
);
CREATE INDEX dfe_declarations_seen_participant_idx ON dfe_declarations_seen (participant_id, course_identifier);

-- Every outcome DfE holds for us; DfE keeps them append-only and the latest counts.
CREATE TABLE dfe_outcomes_seen (
    dfe_id            uuid PRIMARY KEY,
    participant_id    uuid NOT NULL,
    course_identifier text NOT NULL,
    state             text NOT NULL,
    completion_date   date NOT NULL,
    dfe_created_at    timestamptz NOT NULL,
    synced_at         timestamptz NOT NULL
);
CREATE INDEX dfe_outcomes_seen_participant_idx ON dfe_outcomes_seen (participant_id, course_identifier, dfe_created_at);

-- What differs between our records and DfE's after the last sync, with what to do about
-- it. A mismatch keeps its first_found_at while it lasts and is deleted once it is gone.
CREATE TABLE dfe_mismatches (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id    uuid NOT NULL,
    course_identifier text NOT NULL,
    enrolment_id      bigint REFERENCES enrolments (id) ON DELETE CASCADE,
    declaration_id    bigint REFERENCES dfe_declarations (id) ON DELETE CASCADE, -- ours, when it is about one
    kind              text NOT NULL CHECK (kind IN ('not-at-dfe', 'not-ours', 'training-status', 'schedule', 'cohort',
                                                    'declaration-not-at-dfe', 'declaration-voided-at-dfe',
                                                    'declaration-not-ours', 'declaration-date', 'outcome')),
    subject           text NOT NULL DEFAULT '',
    ours              text NOT NULL DEFAULT '',
    theirs            text NOT NULL DEFAULT '',
    action            text NOT NULL,
    first_found_at    timestamptz NOT NULL,
    found_at          timestamptz NOT NULL,
    UNIQUE (participant_id, course_identifier, kind, subject)
);
CREATE INDEX dfe_mismatches_list_idx ON dfe_mismatches (first_found_at, id);
CREATE INDEX dfe_mismatches_enrolment_idx ON dfe_mismatches (enrolment_id);

-- An enrolment's declarations, whatever their state, for its DfE record.
CREATE INDEX dfe_declarations_enrolment_idx ON dfe_declarations (enrolment_id, declaration_date);

-- +goose Down
DROP INDEX dfe_declarations_enrolment_idx;
DROP TABLE dfe_mismatches;
DROP TABLE dfe_outcomes_seen;
DROP TABLE dfe_declarations_seen;
DROP TABLE dfe_participants;
