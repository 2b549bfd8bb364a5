-- +goose Up
ALTER TABLE courses
    ADD COLUMN assessment_attempts int NOT NULL DEFAULT 2 CHECK (assessment_attempts BETWEEN 1 AND 5),
    ADD COLUMN sample_percent int NOT NULL DEFAULT 20 CHECK (sample_percent BETWEEN 0 AND 100),
    ADD COLUMN no_own_partner_markers boolean NOT NULL DEFAULT true;

-- The delivery partners an assessor works for, so they never mark their own partner's participants.
CREATE TABLE marker_affiliations (
    user_id             bigint NOT NULL REFERENCES users (id),
    delivery_partner_id bigint NOT NULL REFERENCES delivery_partners (id),
    PRIMARY KEY (user_id, delivery_partner_id)
);

-- Individual deadline extensions: the latest one counts; earlier ones are kept.
CREATE TABLE assessment_extensions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    deadline     date NOT NULL,
    reason       text NOT NULL CHECK (length(reason) > 0),
    granted_by   bigint REFERENCES users (id),
    granted_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_extensions_enrolment_idx ON assessment_extensions (enrolment_id, id DESC);
CREATE TRIGGER assessment_extensions_append_only BEFORE UPDATE OR DELETE ON assessment_extensions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE submissions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id     bigint NOT NULL REFERENCES enrolments (id),
    attempt          int NOT NULL CHECK (attempt >= 1),
    stage            text NOT NULL DEFAULT 'draft' CHECK (stage IN ('draft', 'submitted', 'in_marking', 'marked', 'moderation', 'ready', 'released')),
    candidate_number text NOT NULL UNIQUE,
    submitted_at     timestamptz,
    passed           boolean,                 -- computed from the agreed judgements, never typed in
    reasons          text[] NOT NULL DEFAULT '{}',
    sampled          boolean NOT NULL DEFAULT false,
    released_at      timestamptz,
    released_by      bigint REFERENCES users (id),
    dfe_outcome      text CHECK (dfe_outcome IN ('passed', 'failed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (enrolment_id, attempt),
    CHECK (stage = 'draft' OR submitted_at IS NOT NULL),
    CHECK ((stage = 'released') = (released_at IS NOT NULL))
);
CREATE INDEX submissions_stage_idx ON submissions (stage, submitted_at);

CREATE TABLE submission_texts (
    submission_id bigint NOT NULL REFERENCES submissions (id),
    task_key      text NOT NULL,
    body          text NOT NULL DEFAULT '' CHECK (length(body) <= 200000),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (submission_id, task_key)
);

-- Supporting documents, stored in the database and served only to the participant, their
-- markers and admins.
CREATE TABLE submission_files (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint NOT NULL REFERENCES submissions (id),
    slot_key      text NOT NULL,
    file_name     text NOT NULL,
    content_type  text NOT NULL,
    size          int NOT NULL CHECK (size > 0),
    sha256        text NOT NULL,
    data          bytea NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    removed_at    timestamptz
);
CREATE INDEX submission_files_submission_idx ON submission_files (submission_id) WHERE removed_at IS NULL;

CREATE TABLE allocations (
    submission_id bigint NOT NULL REFERENCES submissions (id),
    role          text NOT NULL CHECK (role IN ('first', 'second', 'moderator')),
    marker_id     bigint NOT NULL REFERENCES users (id),
    allocated_by  bigint REFERENCES users (id),
    allocated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (submission_id, role)
);
CREATE INDEX allocations_marker_idx ON allocations (marker_id);

-- One sheet per marker role: its version stops a stale page overwriting newer marks.
CREATE TABLE mark_sheets (
    submission_id bigint NOT NULL REFERENCES submissions (id),
    role          text NOT NULL CHECK (role IN ('first', 'second', 'moderator')),
    marker_id     bigint NOT NULL REFERENCES users (id),
    feedback      text NOT NULL DEFAULT '',
    version       int NOT NULL DEFAULT 0,
    completed_at  timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (submission_id, role)
);
-- A marker's unfinished work, for spreading the load.
CREATE INDEX mark_sheets_marker_open_idx ON mark_sheets (marker_id) WHERE completed_at IS NULL;

CREATE TABLE marks (
    submission_id bigint NOT NULL,
    role          text NOT NULL,
    criterion_key text NOT NULL,
    judgement     text CHECK (judgement IN ('not_met', 'met')),
    comment       text NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, role, criterion_key),
    FOREIGN KEY (submission_id, role) REFERENCES mark_sheets (submission_id, role)
);

-- The judgements the outcome is computed from.
CREATE TABLE agreed_judgements (
    submission_id bigint NOT NULL REFERENCES submissions (id),
    criterion_key text NOT NULL,
    judgement     text NOT NULL CHECK (judgement IN ('not_met', 'met')),
    source        text NOT NULL CHECK (source IN ('first', 'agreed', 'moderated')),
    note          text NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, criterion_key)
);

-- +goose Down
DROP TABLE agreed_judgements;
DROP TABLE marks;
DROP TABLE mark_sheets;
DROP TABLE allocations;
DROP TABLE submission_files;
DROP TABLE submission_texts;
DROP TABLE submissions;
DROP TABLE assessment_extensions;
DROP TABLE marker_affiliations;
ALTER TABLE courses DROP COLUMN assessment_attempts, DROP COLUMN sample_percent, DROP COLUMN no_own_partner_markers;
