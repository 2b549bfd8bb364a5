-- +goose Up
-- When each account's holder was last told of failed sign-ins, so they are told once per window.
CREATE TABLE sign_in_alerts (
    email   text PRIMARY KEY,
    sent_at timestamptz NOT NULL DEFAULT now()
);
-- Every sign-in attempt counts the failures for its account from its address.
CREATE INDEX sign_in_failures_pair_idx ON sign_in_failures (email, ip, at);

-- +goose Down
DROP INDEX sign_in_failures_pair_idx;
DROP TABLE sign_in_alerts;
