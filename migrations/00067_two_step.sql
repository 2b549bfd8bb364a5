-- +goose Up
-- Two-step sign-in: one authenticator secret per account once set up, the last time step
-- accepted (so each code works once), and ten single-use recovery codes kept only as hashes.
CREATE TABLE two_step (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     text NOT NULL,
    enabled_at timestamptz NOT NULL,
    last_step  bigint NOT NULL DEFAULT 0
);

CREATE TABLE two_step_recovery_codes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at   timestamptz,
    UNIQUE (user_id, code_hash)
);

-- Wrong codes, counted per account to limit guessing.
CREATE TABLE two_step_failures (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at      timestamptz NOT NULL
);
CREATE INDEX two_step_failures_user_at_idx ON two_step_failures (user_id, at);

-- +goose Down
DROP TABLE two_step_failures;
DROP TABLE two_step_recovery_codes;
DROP TABLE two_step;
