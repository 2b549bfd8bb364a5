-- +goose Up
-- Outcome updates: when a later released result differs from the one DfE holds (from the
-- completed declaration or an outcome already sent), the new outcome is due. DfE keeps
-- outcomes append-only and the latest wins, so each is sent once and never voided; one DfE
-- refused is kept as failed with DfE's text.
CREATE TABLE dfe_outcomes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id    bigint NOT NULL REFERENCES enrolments (id),
    passed          boolean NOT NULL,
    completion_date date NOT NULL,
    rule_version    text NOT NULL,
    evidence        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    why             text NOT NULL DEFAULT '',
    state           text NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'sent', 'failed')),
    dfe_id          uuid UNIQUE,
    error           text NOT NULL DEFAULT '',
    attempts        int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    sent_at         timestamptz,
    UNIQUE (enrolment_id, completion_date, passed),
    CHECK (state <> 'sent' OR sent_at IS NOT NULL),
    CHECK (state <> 'failed' OR error <> '')
);
CREATE INDEX dfe_outcomes_list_idx ON dfe_outcomes (state, completion_date, id);
CREATE INDEX dfe_outcomes_due_idx ON dfe_outcomes (id) WHERE state = 'due';

-- DfE's financial statements, copied by the declarations job (upsert by DfE's id), so the
-- declarations page can say which statement's cut-off a due declaration must beat and when
-- DfE pays it. cohort is DfE's cohort year ("2025").
CREATE TABLE dfe_statements (
    id             uuid PRIMARY KEY,
    cohort         text NOT NULL,
    month          text NOT NULL,
    year           text NOT NULL,
    cut_off_date   date NOT NULL,
    payment_date   date,
    paid           boolean NOT NULL DEFAULT false,
    dfe_updated_at timestamptz NOT NULL,
    synced_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dfe_statements_cut_off_idx ON dfe_statements (cohort, cut_off_date);

-- +goose Down
DROP TABLE dfe_statements;
DROP TABLE dfe_outcomes;
