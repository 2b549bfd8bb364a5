-- +goose Up
-- DfE milestones at risk: for each enrolment with a DfE schedule, the next milestone it has
-- not yet earned (neither declared to DfE nor due from our evidence), worked out hourly by
-- the dfe_milestones job so the partner page reads it without running the declarations
-- engine. state is on_track (no deadline yet within the risk horizon, or none published),
-- at_risk (the deadline is within the risk horizon and evidence is still missing) or missed
-- (the deadline has passed); missing says in words what evidence is still missing. The job
-- replaces every row in one transaction, so computed_at is the same on every row.
CREATE TABLE dfe_milestones_at_risk (
    enrolment_id        bigint PRIMARY KEY REFERENCES enrolments (id) ON DELETE CASCADE,
    delivery_partner_id bigint NOT NULL REFERENCES delivery_partners (id),
    cohort_id           bigint NOT NULL REFERENCES cohorts (id),
    declaration_type    text NOT NULL CHECK (declaration_type IN ('started', 'retained-1', 'retained-2', 'completed')),
    window_starts_on    date NOT NULL,
    deadline            date,
    payment_date        date,
    state               text NOT NULL CHECK (state IN ('on_track', 'at_risk', 'missed')),
    missing             text NOT NULL DEFAULT '',
    computed_at         timestamptz NOT NULL,
    CHECK (state = 'on_track' OR deadline IS NOT NULL)
);
-- The partner page: one partner's at-risk and missed rows, soonest deadline first.
CREATE INDEX dfe_milestones_at_risk_partner_idx ON dfe_milestones_at_risk (delivery_partner_id, deadline, enrolment_id)
    WHERE state <> 'on_track';
-- The partner page's count of participants whose next milestone has no published deadline.
CREATE INDEX dfe_milestones_at_risk_no_deadline_idx ON dfe_milestones_at_risk (delivery_partner_id) WHERE deadline IS NULL;

-- +goose Down
DROP TABLE dfe_milestones_at_risk;
