-- +goose Up
-- Each message keeps a random key from the start, so every delivery attempt carries the same
-- Message-ID (<outbox-ID.KEY@host>) and a repeat after a crash can be recognised.
ALTER TABLE outbox ADD COLUMN message_key text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');

-- +goose Down
ALTER TABLE outbox DROP COLUMN message_key;
