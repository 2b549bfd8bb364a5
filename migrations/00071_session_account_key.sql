-- +goose Up
-- Each browser session row names the account session it belongs to (by the hash of the key the
-- session keeps), so one query reads the session, the account session and the user together.
ALTER TABLE sessions ADD COLUMN account_key_hash bytea;

-- +goose Down
ALTER TABLE sessions DROP COLUMN account_key_hash;
