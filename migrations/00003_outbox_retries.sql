-- +goose Up
-- Failed deliveries are retried later, with a growing wait.
ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_unsent_idx ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;

-- +goose Down
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
