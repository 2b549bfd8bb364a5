-- +goose Up
-- Requests people make about their personal data (UK GDPR), answered within a month.
CREATE TABLE data_requests (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('access')),
    received_on date NOT NULL,
    due_on      date NOT NULL CHECK (due_on >= received_on),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    logged_by   bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    exported_at timestamptz,
    completed_at timestamptz,
    completed_by bigint REFERENCES users (id)
);
CREATE INDEX data_requests_open_idx ON data_requests (due_on, id) WHERE completed_at IS NULL;
CREATE INDEX data_requests_user_idx ON data_requests (user_id);

-- +goose Down
DROP TABLE data_requests;
