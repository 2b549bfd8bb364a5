-- +goose Up
-- Framework content, loaded from frameworks/*.yaml by `npq seed` (and at start-up).
CREATE TABLE qualifications (
    code               text PRIMARY KEY,
    name               text NOT NULL,
    course_identifier  text NOT NULL DEFAULT '',
    course_group       text NOT NULL CHECK (course_group IN ('leadership', 'specialist', 'support')),
    status             text NOT NULL,
    who_for            text NOT NULL,
    entry_requirements text[] NOT NULL DEFAULT '{}',
    content_note       text NOT NULL DEFAULT '',
    sources            text[] NOT NULL DEFAULT '{}',
    position           int NOT NULL
);

CREATE TABLE frameworks (
    slug               text PRIMARY KEY,
    qualification_code text NOT NULL REFERENCES qualifications (code),
    title              text NOT NULL,
    edition            text NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('reformed', 'caf-2019')),
    source             text NOT NULL,
    description        text NOT NULL DEFAULT '',
    notes              text[] NOT NULL DEFAULT '{}',
    position           int NOT NULL
);

CREATE TABLE framework_areas (
    framework_slug text NOT NULL REFERENCES frameworks (slug) ON DELETE CASCADE,
    number         int NOT NULL,
    title          text NOT NULL,
    introduction   text[] NOT NULL DEFAULT '{}',
    note           text NOT NULL DEFAULT '',
    PRIMARY KEY (framework_slug, number)
);

-- Every statement, bullet, learn-about item and criterion, under a stable key such as
-- npqel-2021/1/that/8 or npqml-2019/criterion/1.1.1.
CREATE TABLE framework_statements (
    key            text PRIMARY KEY,
    framework_slug text NOT NULL REFERENCES frameworks (slug) ON DELETE CASCADE,
    area_number    int NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('learn_that', 'learn_how_to', 'bullet', 'learn_about', 'criterion')),
    parent_key     text,
    label          text NOT NULL DEFAULT '',
    stem           text NOT NULL DEFAULT '',
    text           text NOT NULL,
    position       int NOT NULL,
    search         tsvector GENERATED ALWAYS AS (to_tsvector('english', stem || ' ' || text)) STORED,
    FOREIGN KEY (framework_slug, area_number) REFERENCES framework_areas (framework_slug, number) ON DELETE CASCADE
);
CREATE INDEX framework_statements_order_idx ON framework_statements (framework_slug, position);
CREATE INDEX framework_statements_search_idx ON framework_statements USING gin (search);

CREATE TABLE framework_behaviours (
    framework_slug text NOT NULL REFERENCES frameworks (slug) ON DELETE CASCADE,
    position       int NOT NULL,
    name           text NOT NULL,
    description    text NOT NULL,
    PRIMARY KEY (framework_slug, position)
);

CREATE TABLE framework_assessments (
    framework_slug        text PRIMARY KEY REFERENCES frameworks (slug) ON DELETE CASCADE,
    summary               text NOT NULL,
    word_limit            int,
    requirements          text[] NOT NULL DEFAULT '{}',
    provider_requirements text[] NOT NULL DEFAULT '{}',
    footnotes             text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE framework_tasks (
    framework_slug text NOT NULL REFERENCES framework_assessments (framework_slug) ON DELETE CASCADE,
    key            text NOT NULL,
    position       int NOT NULL,
    name           text NOT NULL,
    summary        text NOT NULL,
    setting        text NOT NULL DEFAULT '',
    word_limit     int,
    requirements   text[] NOT NULL DEFAULT '{}',
    content_areas  int[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (framework_slug, key)
);

CREATE TABLE framework_task_criteria (
    framework_slug       text NOT NULL,
    task_key             text NOT NULL,
    criterion_key        text NOT NULL REFERENCES framework_statements (key) ON DELETE CASCADE,
    position             int NOT NULL,
    supporting_documents text[] NOT NULL DEFAULT '{}',
    task_text            text NOT NULL DEFAULT '',
    PRIMARY KEY (framework_slug, task_key, criterion_key),
    FOREIGN KEY (framework_slug, task_key) REFERENCES framework_tasks (framework_slug, key) ON DELETE CASCADE
);
CREATE INDEX framework_task_criteria_criterion_idx ON framework_task_criteria (criterion_key);

-- Which exact content was last imported, so start-up can skip an unchanged library.
CREATE TABLE framework_imports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    content_hash text NOT NULL,
    imported_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE framework_imports;
DROP TABLE framework_task_criteria;
DROP TABLE framework_tasks;
DROP TABLE framework_assessments;
DROP TABLE framework_behaviours;
DROP TABLE framework_statements;
DROP TABLE framework_areas;
DROP TABLE frameworks;
DROP TABLE qualifications;
