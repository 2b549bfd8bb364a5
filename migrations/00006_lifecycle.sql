-- +goose Up
-- Requests to defer or withdraw, their decisions, return planning and monitoring.
CREATE TABLE status_requests (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id        bigint NOT NULL REFERENCES enrolments (id),
    kind                text NOT NULL CHECK (kind IN ('deferral', 'withdrawal')),
    -- DfE's reason codes, literally (one withdrawal code ends with a full stop).
    reason              text NOT NULL CHECK (
        (kind = 'deferral' AND reason IN ('bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other')) OR
        (kind = 'withdrawal' AND reason IN ('insufficient-capacity-to-undertake-programme', 'personal-reason-health-or-pregnancy-related',
            'personal-reason-moving-school', 'personal-reason-other', 'insufficient-capacity', 'change-in-developmental-or-personal-priorities',
            'change-in-school-circumstances', 'change-in-school-leadership', 'quality-of-programme-structure-not-suitable.',
            'quality-of-programme-content-not-suitable', 'quality-of-programme-facilitation-not-effective', 'quality-of-programme-accessibility',
            'quality-of-programme-other', 'programme-not-appropriate-for-role-and-cpd-needs', 'started-in-error', 'expected-commitment-unclear',
            'assessment-requirements-not-met', 'change-in-career', 'disengaged-and-unresponsive', 'non-payment-of-invoice', 'other'))),
    details             text NOT NULL DEFAULT '',
    starts_on           date NOT NULL,        -- deferral start, or planned withdrawal date
    planned_return_on   date,                 -- deferrals only
    source              text NOT NULL CHECK (source IN ('participant', 'email', 'system')),
    discussed_with_partner boolean NOT NULL DEFAULT false,
    state               text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'approved', 'refused', 'cancelled', 'moved')),
    requested_by        bigint REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    decided_by          bigint REFERENCES users (id),
    decided_at          timestamptz,
    decision_notes      text NOT NULL DEFAULT '',
    effective_on        date,                 -- the real-world date of the change
    exception_reason    text NOT NULL DEFAULT '',  -- why a return more than 12 months away is allowed
    return_cohort_id    bigint REFERENCES cohorts (id),
    return_block_id     bigint REFERENCES blocks (id),
    return_on           date,
    refund              text CHECK (refund IN ('none', 'partial', 'full')),
    refund_pence        int CHECK (refund_pence >= 0),
    return_asked_at     timestamptz,
    return_answer       text CHECK (return_answer IN ('yes', 'no')),
    return_answered_at  timestamptz,
    returned_at         timestamptz,
    withdrawal_case_id  bigint REFERENCES status_requests (id),
    CHECK ((kind = 'deferral') = (planned_return_on IS NOT NULL)),
    CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND effective_on IS NOT NULL)),
    CHECK (state <> 'approved' OR kind = 'withdrawal' OR return_on IS NOT NULL)
);
-- One open request per enrolment.
CREATE UNIQUE INDEX status_requests_one_open ON status_requests (enrolment_id) WHERE state = 'open';
CREATE INDEX status_requests_queue_idx ON status_requests (kind, state, created_at);
CREATE INDEX status_requests_returns_idx ON status_requests (return_on) WHERE kind = 'deferral' AND state = 'approved' AND returned_at IS NULL;

-- Decisions confirmed in writing: the letter as sent, kept as it was.
CREATE TABLE letters (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    request_id   bigint REFERENCES status_requests (id),
    kind         text NOT NULL CHECK (kind IN ('deferral', 'withdrawal', 'refusal', 'return', 'return-request', 'reinstatement', 'cohort-move')),
    subject      text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX letters_enrolment_idx ON letters (enrolment_id, created_at DESC);
CREATE TRIGGER letters_append_only BEFORE UPDATE OR DELETE ON letters
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE letters;
DROP TABLE status_requests;
