-- +goose Up
-- Every signed-in browser of an account, so its holder can see and end them and a password
-- change can end the others. The browser's session keeps a random key; only its hash is here.
CREATE TABLE account_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_hash     bytea NOT NULL UNIQUE,
    user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 400),
    ip           text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    -- why it ended: signed_out, ended_by_holder, password_changed, password_reset, email_changed ...
    ended_reason text NOT NULL DEFAULT ''
);
CREATE INDEX account_sessions_live_idx ON account_sessions (user_id, last_seen_at DESC) WHERE ended_at IS NULL;

-- +goose Down
DROP TABLE account_sessions;
