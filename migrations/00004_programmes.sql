-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- The admin participant search matches any part of a name or email.
CREATE INDEX users_participant_search_idx ON users USING gin ((lower(name) || ' ' || email) gin_trgm_ops)
    WHERE role = 'participant';

-- Programme structure: courses made of blocks and items, cohorts run by delivery partners,
-- enrolments with an append-only status history, completions and programme news.

ALTER TABLE delivery_partners
    ADD COLUMN contact_name  text NOT NULL DEFAULT '',
    ADD COLUMN contact_email text NOT NULL DEFAULT '',
    ADD COLUMN region        text NOT NULL DEFAULT '';

-- Append-only tables refuse UPDATE and DELETE.
-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd

CREATE TABLE courses (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    qualification_code text NOT NULL REFERENCES qualifications (code),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description        text NOT NULL DEFAULT '',
    study_months       int NOT NULL DEFAULT 18 CHECK (study_months BETWEEN 1 AND 60),
    assessment_months  int NOT NULL DEFAULT 3 CHECK (assessment_months BETWEEN 0 AND 24),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX courses_name_key ON courses (lower(name));

CREATE TABLE blocks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position    int NOT NULL CHECK (position > 0),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    UNIQUE (course_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE block_items (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    block_id         bigint NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    position         int NOT NULL CHECK (position > 0),
    kind             text NOT NULL CHECK (kind IN ('introduction', 'self_study', 'webinar', 'face_to_face',
                         'tutor_session', 'coaching', 'micro_implementation_task', 'formative_assessment')),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body             text NOT NULL DEFAULT '',
    expected_minutes int NOT NULL CHECK (expected_minutes BETWEEN 0 AND 6000),
    required         boolean NOT NULL DEFAULT true,
    UNIQUE (block_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

-- The framework statements an item covers, by stable key.
CREATE TABLE block_item_statements (
    item_id       bigint NOT NULL REFERENCES block_items (id) ON DELETE CASCADE,
    statement_key text NOT NULL REFERENCES framework_statements (key),
    PRIMARY KEY (item_id, statement_key)
);
CREATE INDEX block_item_statements_key_idx ON block_item_statements (statement_key);

CREATE TABLE cohorts (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id           bigint NOT NULL REFERENCES courses (id),
    delivery_partner_id bigint NOT NULL REFERENCES delivery_partners (id),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    schedule_identifier text NOT NULL CHECK (schedule_identifier IN ('npq-leadership-autumn', 'npq-leadership-spring',
                            'npq-specialist-autumn', 'npq-specialist-spring', 'npq-aso-march', 'npq-aso-june',
                            'npq-aso-november', 'npq-aso-december', 'npq-ehco-march', 'npq-ehco-june',
                            'npq-ehco-november', 'npq-ehco-december')),
    starts_on           date NOT NULL,
    study_ends_on       date NOT NULL,
    assessment_opens_on date NOT NULL,
    assessment_closes_on date NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_on < study_ends_on AND study_ends_on <= assessment_opens_on AND assessment_opens_on < assessment_closes_on)
);
CREATE INDEX cohorts_partner_idx ON cohorts (delivery_partner_id, starts_on);
CREATE INDEX cohorts_course_idx ON cohorts (course_id, starts_on);
CREATE UNIQUE INDEX cohorts_name_key ON cohorts (lower(name));

-- When each block opens for a cohort.
CREATE TABLE cohort_blocks (
    cohort_id bigint NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    block_id  bigint NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    opens_on  date NOT NULL,
    PRIMARY KEY (cohort_id, block_id)
);

CREATE TABLE enrolments (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint NOT NULL REFERENCES users (id),
    cohort_id           bigint NOT NULL REFERENCES cohorts (id),
    funding_route       text NOT NULL CHECK (funding_route IN ('scholarship', 'school_funded', 'self_funded')),
    payment_received_on date,
    starts_on           date NOT NULL,
    -- The latest entry of enrolment_status_history, kept here for fast lists.
    status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deferred', 'withdrawn', 'completed')),
    last_activity_at    timestamptz,
    last_item_id        bigint REFERENCES block_items (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, cohort_id)
);
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status);

CREATE TABLE enrolment_status_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id   bigint NOT NULL REFERENCES enrolments (id),
    status         text NOT NULL CHECK (status IN ('active', 'deferred', 'withdrawn', 'completed')),
    effective_on   date NOT NULL,
    reason         text NOT NULL DEFAULT '',
    changed_by     bigint REFERENCES users (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrolment_status_history_enrolment_idx ON enrolment_status_history (enrolment_id, id);
CREATE TRIGGER enrolment_status_history_append_only BEFORE UPDATE OR DELETE ON enrolment_status_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- enrolments.status always equals the newest history entry.
-- +goose StatementBegin
CREATE FUNCTION enrolment_status_follow_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments SET status = NEW.status WHERE id = NEW.enrolment_id;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER enrolment_status_follows_history AFTER INSERT ON enrolment_status_history
    FOR EACH ROW EXECUTE FUNCTION enrolment_status_follow_history();

-- A participant's completion of an item: recorded once, never rewritten.
CREATE TABLE item_completions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id bigint NOT NULL REFERENCES enrolments (id),
    item_id      bigint NOT NULL REFERENCES block_items (id),
    source       text NOT NULL CHECK (source IN ('participant', 'attendance', 'submission', 'admin', 'import')),
    recorded_by  bigint REFERENCES users (id),
    completed_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (enrolment_id, item_id)
);
CREATE TRIGGER item_completions_append_only BEFORE UPDATE OR DELETE ON item_completions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE news_posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    course_id    bigint REFERENCES courses (id) ON DELETE CASCADE,
    cohort_id    bigint REFERENCES cohorts (id) ON DELETE CASCADE,
    author_id    bigint REFERENCES users (id),
    published_at timestamptz NOT NULL DEFAULT now(),
    CHECK (course_id IS NULL OR cohort_id IS NULL)
);
CREATE INDEX news_posts_published_idx ON news_posts (published_at DESC);

-- +goose Down
DROP TABLE news_posts;
DROP TABLE item_completions;
DROP TABLE enrolment_status_history;
DROP FUNCTION enrolment_status_follow_history();
DROP TABLE enrolments;
DROP TABLE cohort_blocks;
DROP TABLE cohorts;
DROP TABLE block_item_statements;
DROP TABLE block_items;
DROP TABLE blocks;
DROP TABLE courses;
DROP FUNCTION refuse_change();
ALTER TABLE delivery_partners DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN region;
DROP INDEX users_participant_search_idx;
