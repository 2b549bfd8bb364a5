-- +goose Up
-- DfE's NPQ applications, copied by the sync (upsert by DfE's id) for admins to accept or
-- reject. status is DfE's own; enrolment_id is the enrolment an acceptance made.
CREATE TABLE dfe_applications (
    id                  uuid PRIMARY KEY,
    participant_id      uuid NOT NULL,
    full_name           text NOT NULL,
    email               text NOT NULL DEFAULT '',
    trn                 text NOT NULL DEFAULT '',
    course_identifier   text NOT NULL,
    school_urn          text NOT NULL DEFAULT '',
    cohort              text NOT NULL DEFAULT '',
    schedule_identifier text NOT NULL DEFAULT '',
    funded_place        boolean,
    eligible_for_funding boolean NOT NULL DEFAULT false,
    status              text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    dfe_created_at      timestamptz NOT NULL,
    dfe_updated_at      timestamptz NOT NULL,
    synced_at           timestamptz NOT NULL DEFAULT now(),
    enrolment_id        bigint UNIQUE REFERENCES enrolments (id) ON DELETE SET NULL,
    decided_by          bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at          timestamptz,
    reject_reason       text NOT NULL DEFAULT ''
);
CREATE INDEX dfe_applications_queue_idx ON dfe_applications (status, dfe_created_at, id);

-- How far each DfE list has been read, so the next sync asks only for what changed since.
CREATE TABLE dfe_sync_state (
    list         text PRIMARY KEY,
    synced_until timestamptz NOT NULL,
    ran_at       timestamptz NOT NULL
);

-- +goose Down
DROP TABLE dfe_sync_state;
DROP TABLE dfe_applications;
