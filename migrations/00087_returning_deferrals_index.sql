-- +goose Up
-- The admins' returns list (lifecycle.ReturnsPage) and the daily return checks read approved
-- deferrals not yet ended, which excludes those that became withdrawal cases. The index of
-- returns did not exclude them, so each list and count visited every such deferral's row to
-- find out; at national size the list's first row came after 1,600 of them (4 ms).
CREATE INDEX status_requests_returning_idx ON status_requests (return_on, id)
    WHERE kind = 'deferral' AND state = 'approved' AND returned_at IS NULL AND withdrawal_case_id IS NULL;

-- +goose Down
DROP INDEX status_requests_returning_idx;
