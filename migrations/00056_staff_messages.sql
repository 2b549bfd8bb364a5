-- +goose Up
-- Messages staff write to a chosen group of participants. One row per send, keyed by the
-- compose form, so a repeated or double submit finds its key taken and sends nothing again.
CREATE TABLE staff_messages (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    send_key            text NOT NULL UNIQUE CHECK (length(send_key) BETWEEN 16 AND 64),
    sender_id           bigint NOT NULL REFERENCES users (id),
    delivery_partner_id bigint REFERENCES delivery_partners (id),
    subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 150),
    body                text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    recipients          int NOT NULL CHECK (recipients > 0),
    sent_at             timestamptz NOT NULL DEFAULT now()
);

-- Mail about a delivery partner's work (its staff's messages, its events) names the partner,
-- so its staff can see that it was sent; one staff message reaches each address once.
ALTER TABLE outbox
    ADD COLUMN delivery_partner_id bigint REFERENCES delivery_partners (id),
    ADD COLUMN staff_message_id    bigint REFERENCES staff_messages (id);
CREATE UNIQUE INDEX outbox_staff_message_once ON outbox (staff_message_id, to_address) WHERE staff_message_id IS NOT NULL;
-- A participant's record lists the mail sent to them.
CREATE INDEX outbox_to_address_idx ON outbox (to_address, created_at DESC);

-- +goose Down
DROP INDEX outbox_to_address_idx;
DROP INDEX outbox_staff_message_once;
ALTER TABLE outbox DROP COLUMN staff_message_id, DROP COLUMN delivery_partner_id;
DROP TABLE staff_messages;
