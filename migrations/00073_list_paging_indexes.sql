-- +goose Up
-- The cohorts list is paged by start date, latest first; walking this index lets it count the
-- enrolments of one page's cohorts only.
CREATE INDEX cohorts_starts_id_idx ON cohorts (starts_on, id);

-- A marker's earlier work is paged by when it was allocated, latest first.
CREATE INDEX allocations_marker_time_idx ON allocations (marker_id, allocated_at, submission_id);
DROP INDEX allocations_marker_idx;

-- +goose Down
CREATE INDEX allocations_marker_idx ON allocations (marker_id);
DROP INDEX allocations_marker_time_idx;
DROP INDEX cohorts_starts_id_idx;
