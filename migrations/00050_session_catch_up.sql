-- +goose Up
-- What a delivery partner offers people who missed a session date: a recording and a task.
CREATE TABLE event_catch_ups (
    event_id      bigint PRIMARY KEY REFERENCES events (id),
    recording_url text CHECK (recording_url ~ '^https://[^[:space:]]+$' AND length(recording_url) <= 500),
    task          text CHECK (length(task) BETWEEN 1 AND 2000),
    updated_by    bigint REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (recording_url IS NOT NULL OR task IS NOT NULL)
);

-- A participant who caught up on a missed session: their reflection, kept once.
CREATE TABLE session_catch_ups (
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    item_id      bigint NOT NULL REFERENCES block_items (id),
    event_id     bigint NOT NULL REFERENCES events (id),
    reflection   text NOT NULL CHECK (length(reflection) BETWEEN 1 AND 4000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (enrolment_id, item_id)
);
CREATE TRIGGER session_catch_ups_append_only BEFORE UPDATE OR DELETE ON session_catch_ups
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE item_completions DROP CONSTRAINT item_completions_source_check;
ALTER TABLE item_completions ADD CONSTRAINT item_completions_source_check
    CHECK (source IN ('participant', 'attendance', 'submission', 'admin', 'import', 'catch_up'));

-- +goose Down
ALTER TABLE item_completions DROP CONSTRAINT item_completions_source_check;
ALTER TABLE item_completions ADD CONSTRAINT item_completions_source_check
    CHECK (source IN ('participant', 'attendance', 'submission', 'admin', 'import'));
DROP TABLE session_catch_ups;
DROP TABLE event_catch_ups;
