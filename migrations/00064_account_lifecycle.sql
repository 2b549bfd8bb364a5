-- +goose Up
-- Leavers: a deactivated account keeps its records but cannot sign in, and its open sessions
-- end at their next request. session_version goes up whenever an account changes in a way
-- that must end its sessions (deactivation, a new role or partner); a session carries the
-- version it started with.
ALTER TABLE users
    ADD COLUMN deactivated_at   timestamptz,
    ADD COLUMN last_sign_in_at  timestamptz,
    ADD COLUMN session_version  int NOT NULL DEFAULT 0;

CREATE INDEX users_name_idx ON users (lower(name), id);
CREATE INDEX users_role_name_idx ON users (role, lower(name), id);

-- +goose Down
DROP INDEX users_role_name_idx;
DROP INDEX users_name_idx;
ALTER TABLE users DROP COLUMN session_version, DROP COLUMN last_sign_in_at, DROP COLUMN deactivated_at;
