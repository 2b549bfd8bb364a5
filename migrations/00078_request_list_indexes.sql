-- +goose Up
-- The request lists show each request's letters: one look-up per row, not a scan of letters.
CREATE INDEX letters_request_idx ON letters (request_id) WHERE request_id IS NOT NULL;

-- Requests of every kind and state are listed newest first (a partner's decisions, the
-- participant's own requests), which this index walks.
CREATE INDEX status_requests_created_idx ON status_requests (created_at, id);

-- +goose Down
DROP INDEX status_requests_created_idx;
DROP INDEX letters_request_idx;
