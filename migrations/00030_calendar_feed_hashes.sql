-- +goose Up
-- Calendar feed tokens are kept only as a SHA-256 hash, like invitation tokens. Existing
-- addresses keep working: their hash is computed from the stored token here.
ALTER TABLE calendar_feeds ADD COLUMN token_hash bytea;
UPDATE calendar_feeds SET token_hash = sha256(convert_to(token, 'UTF8'));
ALTER TABLE calendar_feeds
    ALTER COLUMN token_hash SET NOT NULL,
    ADD CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash),
    DROP COLUMN token;

-- +goose Down
-- A hash cannot be turned back into its token: participants make new addresses.
DELETE FROM calendar_feeds;
ALTER TABLE calendar_feeds DROP COLUMN token_hash, ADD COLUMN token text NOT NULL UNIQUE;
