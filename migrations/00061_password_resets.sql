-- +goose Up
-- Forgotten-password links: single-use, valid for an hour, stored only as a hash of the
-- token. A new link for an account cancels the ones before it.
CREATE TABLE password_resets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    requested_by bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    cancelled_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX password_resets_open_idx ON password_resets (user_id) WHERE used_at IS NULL AND cancelled_at IS NULL;

-- Every request for a link, known address or not, counted per address typed and per
-- client address to limit them.
CREATE TABLE password_reset_requests (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    ip    text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX password_reset_requests_email_idx ON password_reset_requests (email, at);
CREATE INDEX password_reset_requests_ip_idx ON password_reset_requests (ip, at);

-- +goose Down
DROP TABLE password_reset_requests;
DROP TABLE password_resets;
