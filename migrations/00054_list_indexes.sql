-- +goose Up
-- Events lists are paged by (starts_at, id) with cancelled events among them, so the index
-- covers every event rather than only those not cancelled.
CREATE INDEX events_starts_id_idx ON events (starts_at, id);
DROP INDEX events_starts_idx;
DROP INDEX events_partner_idx;
CREATE INDEX events_partner_idx ON events (delivery_partner_id, starts_at, id);

-- Failed mail is few among many sent, and is listed newest first.
CREATE INDEX outbox_failed_idx ON outbox (created_at DESC, id DESC) WHERE sent_at IS NULL AND last_error <> '';

-- Submissions are listed longest waiting first: by when they were handed in (or started).
CREATE INDEX submissions_waiting_idx ON submissions ((coalesce(submitted_at, created_at)), id);

-- Participants are listed by name.
CREATE INDEX users_participant_name_idx ON users (name, id) WHERE role = 'participant';

-- +goose Down
DROP INDEX users_participant_name_idx;
DROP INDEX submissions_waiting_idx;
DROP INDEX outbox_failed_idx;
DROP INDEX events_partner_idx;
CREATE INDEX events_partner_idx ON events (delivery_partner_id, starts_at);
CREATE INDEX events_starts_idx ON events (starts_at) WHERE cancelled_at IS NULL;
DROP INDEX events_starts_id_idx;
