-- +goose Up
CREATE TABLE delivery_partners (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX delivery_partners_name_key ON delivery_partners (lower(name));

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash       text NOT NULL,
    role                text NOT NULL CHECK (role IN ('participant', 'partner_staff', 'provider_admin', 'assessor')),
    delivery_partner_id bigint REFERENCES delivery_partners (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    -- partner staff belong to exactly one delivery partner; nobody else belongs to one
    CONSTRAINT users_partner_staff_partner CHECK ((role = 'partner_staff') = (delivery_partner_id IS NOT NULL))
);
CREATE INDEX users_delivery_partner_idx ON users (delivery_partner_id);

CREATE TABLE invitations (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash          bytea NOT NULL UNIQUE,
    email               text NOT NULL CHECK (email = lower(email)),
    name                text NOT NULL,
    role                text NOT NULL CHECK (role IN ('participant', 'partner_staff', 'provider_admin', 'assessor')),
    delivery_partner_id bigint REFERENCES delivery_partners (id),
    invited_by          bigint REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    accepted_at         timestamptz,
    user_id             bigint REFERENCES users (id),
    CONSTRAINT invitations_partner_staff_partner CHECK ((role = 'partner_staff') = (delivery_partner_id IS NOT NULL))
);
CREATE INDEX invitations_email_idx ON invitations (email);

-- scs pgxstore keeps sessions here; the table name is fixed by the library.
CREATE TABLE sessions (
    token   text PRIMARY KEY,
    data    bytea NOT NULL,
    expiry  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed sign-in attempts, counted per IP address and per email for rate limiting
-- across every app instance.
CREATE TABLE sign_in_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL,
    ip         text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_ip_idx ON sign_in_failures (ip, at);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, at);

-- Every outgoing message. Without SMTP settings this is where mail stays, for admins to read.
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address  text NOT NULL,
    to_name     text NOT NULL DEFAULT '',
    subject     text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    attempts    int NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_created_idx ON outbox (created_at DESC, id DESC);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Append-only record of who did what.
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id   bigint REFERENCES users (id),
    action     text NOT NULL,
    subject    text NOT NULL DEFAULT '',
    detail     jsonb NOT NULL DEFAULT '{}',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE outbox;
DROP TABLE sign_in_failures;
DROP TABLE sessions;
DROP TABLE invitations;
DROP TABLE users;
DROP TABLE delivery_partners;
