-- +goose Up
-- The DfE declarations our evidence earns, from derivation to DfE's answer. state is ours:
-- due (derived, not yet accepted by DfE), sent (DfE holds it: dfe_id and dfe_state are
-- DfE's), failed (DfE refused it with a 422: error is DfE's text; it is not sent again) and
-- voided (an admin voided it, with a reason). evidence holds the engine's evidence ids
-- ("attendance:12", "completion:40", "outcome:7") and rule_version the rules that derived it.
CREATE TABLE dfe_declarations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id      bigint NOT NULL REFERENCES enrolments (id),
    declaration_type  text NOT NULL CHECK (declaration_type IN ('started', 'retained-1', 'retained-2', 'completed')),
    declaration_date  timestamptz NOT NULL,
    has_passed        boolean,
    rule_version      text NOT NULL,
    evidence          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    why               text NOT NULL DEFAULT '',
    state             text NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'sent', 'failed', 'voided')),
    dfe_id            uuid UNIQUE,
    dfe_state         text NOT NULL DEFAULT '',
    matched_existing  boolean NOT NULL DEFAULT false,
    error             text NOT NULL DEFAULT '',
    attempts          int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_attempt_at   timestamptz,
    sent_at           timestamptz,
    voided_at         timestamptz,
    voided_by         bigint REFERENCES users (id) ON DELETE SET NULL,
    void_reason       text NOT NULL DEFAULT '',
    CHECK (state <> 'sent' OR (dfe_id IS NOT NULL AND sent_at IS NOT NULL)),
    CHECK ((state = 'voided') = (voided_at IS NOT NULL)),
    CHECK (state <> 'failed' OR error <> '')
);
-- At most one live declaration of each type per enrolment, so nothing is derived or sent
-- twice; a voided one frees its type.
CREATE UNIQUE INDEX dfe_declarations_live_idx ON dfe_declarations (enrolment_id, declaration_type) WHERE state <> 'voided';
-- The admin list (by state, in declaration-date order) and the send queue (due, in id order).
CREATE INDEX dfe_declarations_list_idx ON dfe_declarations (state, declaration_date, id);
CREATE INDEX dfe_declarations_due_idx ON dfe_declarations (id) WHERE state = 'due';

-- +goose Down
DROP TABLE dfe_declarations;
