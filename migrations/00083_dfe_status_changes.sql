-- +goose Up
-- The deferrals, withdrawals and resumptions we tell DfE about, from derivation to DfE's
-- answer. Each comes from one decision: an approved deferral or withdrawal (request_id; a
-- deferral gives a defer and, once the return is confirmed, a resume) or a reinstatement (the
-- status history entry that made a withdrawn enrolment active again). state is ours: due (not
-- yet told to DfE), sent (DfE holds it: dfe_training_status is DfE's answer) and failed (DfE
-- refused it with a 422: error is DfE's text; it is sent again only at an admin's request).
CREATE TABLE dfe_status_changes (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id        bigint NOT NULL REFERENCES enrolments (id),
    request_id          bigint REFERENCES status_requests (id),
    status_history_id   bigint REFERENCES enrolment_status_history (id),
    action              text NOT NULL CHECK (action IN ('defer', 'resume', 'withdraw')),
    -- DfE's reason code of a defer or withdraw, literally (as status_requests.reason).
    reason              text NOT NULL DEFAULT '',
    effective_on        date NOT NULL,
    state               text NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'sent', 'failed')),
    dfe_training_status text NOT NULL DEFAULT '',
    error               text NOT NULL DEFAULT '',
    attempts            int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_attempt_at     timestamptz,
    sent_at             timestamptz,
    CHECK ((request_id IS NULL) <> (status_history_id IS NULL)),
    CHECK (status_history_id IS NULL OR action = 'resume'),
    CHECK ((action = 'resume') = (reason = '')),
    CHECK (state <> 'sent' OR sent_at IS NOT NULL),
    CHECK (state <> 'failed' OR error <> ''),
    -- One decision is pushed once, however many instances derive it.
    UNIQUE (request_id, action),
    UNIQUE (status_history_id)
);
-- The admin list (by state, in effective-date order), the send queue (due, in id order) and
-- an enrolment's changes.
CREATE INDEX dfe_status_changes_list_idx ON dfe_status_changes (state, effective_on, id);
CREATE INDEX dfe_status_changes_due_idx ON dfe_status_changes (id) WHERE state = 'due';
CREATE INDEX dfe_status_changes_enrolment_idx ON dfe_status_changes (enrolment_id, effective_on DESC, id DESC);

-- +goose Down
DROP TABLE dfe_status_changes;
