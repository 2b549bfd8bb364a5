-- +goose Up
-- Requests to change an account's email address, confirmed by a single-use link sent to the
-- new address and valid for 24 hours; only the token's hash is kept. A request whose new
-- address belongs to another account is recorded alike, but its link is sent to nobody.
CREATE TABLE email_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    old_email    text NOT NULL,
    new_email    text NOT NULL CHECK (new_email = lower(new_email) AND length(new_email) BETWEEN 3 AND 254),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    cancelled_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX email_changes_user_idx ON email_changes (user_id, created_at);

-- +goose Down
DROP TABLE email_changes;
