-- +goose Up
-- The retention policy: accounts deactivated after long silence, personal data anonymised
-- years after a participant's last course; each daily run is kept with its report, and the
-- policy only changes anything once an admin has read a report and started it.
ALTER TABLE users ADD COLUMN anonymised_at timestamptz;

CREATE TABLE retention_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ran_at      timestamptz NOT NULL,
    applied     boolean NOT NULL,
    deactivated int NOT NULL,
    anonymised  int NOT NULL,
    report      jsonb NOT NULL
);
CREATE INDEX retention_runs_ran_at_idx ON retention_runs (ran_at DESC, id DESC);

CREATE TABLE retention_settings (
    id             int PRIMARY KEY CHECK (id = 1),
    applying_since timestamptz,
    approved_by    bigint REFERENCES users (id)
);
INSERT INTO retention_settings (id) VALUES (1);

-- Append-only records refuse changes, except that anonymising under the retention policy
-- may blank the personal text in them (it sets npq.anonymising for its own transaction).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME <> 'audit_log' AND current_setting('npq.anonymising', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd
DROP TABLE retention_settings;
DROP TABLE retention_runs;
ALTER TABLE users DROP COLUMN anonymised_at;
