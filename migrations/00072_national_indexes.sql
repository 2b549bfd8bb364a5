-- +goose Up
-- Indexes measured at national size (60,000 enrolments, 24,000 events, 20,000 requests).

-- A partner's requests are found through its participants' enrolments.
CREATE INDEX status_requests_enrolment_idx ON status_requests (enrolment_id);

-- The deferral and withdrawal queues sort by when a request was made, then its id.
DROP INDEX status_requests_queue_idx;
CREATE INDEX status_requests_queue_idx ON status_requests (kind, state, created_at, id);

-- The assessment list shows submissions still being worked on, longest waiting first; released
-- ones (most of them, in time) are left out of the index.
CREATE INDEX submissions_open_waiting_idx ON submissions ((coalesce(submitted_at, created_at)), id)
    WHERE stage NOT IN ('draft', 'released');

-- The longest event bounds how far back an event still running can have started, so the
-- upcoming list can start its index scan there instead of at the first event ever held.
CREATE INDEX events_duration_idx ON events ((ends_at - starts_at));

-- +goose Down
DROP INDEX events_duration_idx;
DROP INDEX submissions_open_waiting_idx;
DROP INDEX status_requests_queue_idx;
CREATE INDEX status_requests_queue_idx ON status_requests (kind, state, created_at);
DROP INDEX status_requests_enrolment_idx;
