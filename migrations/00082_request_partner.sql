-- +goose Up
-- A request carries its enrolment's delivery partner, kept by triggers, so a partner's
-- requests are listed newest first from one index instead of joining every request to its
-- enrolment and cohort to find the partner's.
ALTER TABLE status_requests ADD COLUMN delivery_partner_id bigint REFERENCES delivery_partners (id);
UPDATE status_requests r SET delivery_partner_id = h.delivery_partner_id
    FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.id = r.enrolment_id;
ALTER TABLE status_requests ALTER COLUMN delivery_partner_id SET NOT NULL;
CREATE INDEX status_requests_partner_idx ON status_requests (delivery_partner_id, created_at, id);

-- +goose StatementBegin
CREATE FUNCTION status_request_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT h.delivery_partner_id INTO NEW.delivery_partner_id
        FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.id = NEW.enrolment_id;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER status_request_partner BEFORE INSERT OR UPDATE OF enrolment_id, delivery_partner_id ON status_requests
    FOR EACH ROW EXECUTE FUNCTION status_request_partner();

-- An enrolment moved to another cohort, or a cohort given to another partner, moves its requests.
-- +goose StatementBegin
CREATE FUNCTION status_requests_follow_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'enrolments' THEN
        UPDATE status_requests r SET delivery_partner_id = h.delivery_partner_id
            FROM cohorts h WHERE h.id = NEW.cohort_id AND r.enrolment_id = NEW.id AND r.delivery_partner_id <> h.delivery_partner_id;
    ELSE
        UPDATE status_requests r SET delivery_partner_id = NEW.delivery_partner_id
            FROM enrolments e WHERE e.cohort_id = NEW.id AND r.enrolment_id = e.id AND r.delivery_partner_id <> NEW.delivery_partner_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER status_requests_follow_enrolment AFTER UPDATE OF cohort_id ON enrolments
    FOR EACH ROW WHEN (OLD.cohort_id IS DISTINCT FROM NEW.cohort_id) EXECUTE FUNCTION status_requests_follow_partner();
CREATE TRIGGER status_requests_follow_cohort AFTER UPDATE OF delivery_partner_id ON cohorts
    FOR EACH ROW WHEN (OLD.delivery_partner_id IS DISTINCT FROM NEW.delivery_partner_id) EXECUTE FUNCTION status_requests_follow_partner();

-- +goose Down
DROP TRIGGER status_requests_follow_cohort ON cohorts;
DROP TRIGGER status_requests_follow_enrolment ON enrolments;
DROP FUNCTION status_requests_follow_partner();
DROP TRIGGER status_request_partner ON status_requests;
DROP FUNCTION status_request_partner();
DROP INDEX status_requests_partner_idx;
ALTER TABLE status_requests DROP COLUMN delivery_partner_id;
