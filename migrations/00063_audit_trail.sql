-- +goose Up
-- Where each entry came from, and the person it is about, for the audit trail page.
ALTER TABLE audit_log
    ADD COLUMN ip              text NOT NULL DEFAULT '',
    ADD COLUMN request_id      text NOT NULL DEFAULT '',
    ADD COLUMN subject_user_id bigint REFERENCES users (id);

-- The person an entry's subject ("user:12", "enrolment:4", "request:9" ...) is about, or NULL.
-- +goose StatementBegin
CREATE FUNCTION audit_subject_user(subject text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN subject !~ '^[a-z_]+:[0-9]{1,18}$' THEN NULL ELSE CASE split_part(subject, ':', 1)
        WHEN 'user' THEN (SELECT u.id FROM users u WHERE u.id = split_part(subject, ':', 2)::bigint)
        WHEN 'enrolment' THEN (SELECT e.user_id FROM enrolments e WHERE e.id = split_part(subject, ':', 2)::bigint)
        WHEN 'request' THEN (SELECT e.user_id FROM status_requests r JOIN enrolments e ON e.id = r.enrolment_id
                             WHERE r.id = split_part(subject, ':', 2)::bigint)
        WHEN 'submission' THEN (SELECT e.user_id FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id
                                WHERE s.id = split_part(subject, ':', 2)::bigint)
        WHEN 'invitation' THEN (SELECT i.user_id FROM invitations i WHERE i.id = split_part(subject, ':', 2)::bigint)
    END END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION audit_log_fill_subject_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.subject_user_id IS NULL THEN
        NEW.subject_user_id := audit_subject_user(NEW.subject);
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

UPDATE audit_log SET subject_user_id = audit_subject_user(subject);

CREATE TRIGGER audit_log_fill_subject_user BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_fill_subject_user();

-- The audit trail is append-only, like enrolment history.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The trail is read newest first, whole or for one actor or one person.
CREATE INDEX audit_log_at_id_idx ON audit_log (at, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at, id);
CREATE INDEX audit_log_subject_user_idx ON audit_log (subject_user_id, at, id);

-- +goose Down
DROP INDEX audit_log_subject_user_idx;
DROP INDEX audit_log_actor_idx;
DROP INDEX audit_log_at_id_idx;
DROP TRIGGER audit_log_append_only ON audit_log;
DROP TRIGGER audit_log_fill_subject_user ON audit_log;
DROP FUNCTION audit_log_fill_subject_user();
DROP FUNCTION audit_subject_user(text);
ALTER TABLE audit_log DROP COLUMN subject_user_id, DROP COLUMN request_id, DROP COLUMN ip;
