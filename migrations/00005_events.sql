-- +goose Up
-- Completions become an append-only log: the latest entry for an enrolment and item says
-- whether it is complete, so a register corrected from attended to absent can undo a
-- completion without rewriting history.
ALTER TABLE item_completions DROP CONSTRAINT item_completions_enrolment_id_item_id_key;
ALTER TABLE item_completions ADD COLUMN completed boolean NOT NULL DEFAULT true;
CREATE INDEX item_completions_latest_idx ON item_completions (enrolment_id, item_id, id DESC);

-- Scheduled sessions. Several events can be options for the same block item.
CREATE TABLE events (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id             bigint NOT NULL REFERENCES block_items (id),
    delivery_partner_id bigint NOT NULL REFERENCES delivery_partners (id),
    kind                text NOT NULL CHECK (kind IN ('face_to_face', 'webinar', 'tutor_session', 'coaching')),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description         text NOT NULL DEFAULT '',
    facilitator         text NOT NULL DEFAULT '',
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    venue               text NOT NULL DEFAULT '',
    joining_link        text NOT NULL DEFAULT '',
    capacity            int CHECK (capacity > 0),          -- NULL means unlimited
    booked_count        int NOT NULL DEFAULT 0,            -- kept by a trigger on bookings
    booking_opens_at    timestamptz NOT NULL,
    booking_closes_at   timestamptz NOT NULL,
    cancellation_cutoff timestamptz NOT NULL,
    cancelled_at        timestamptz,
    cancelled_reason    text NOT NULL DEFAULT '',
    sequence            int NOT NULL DEFAULT 0,            -- iCalendar SEQUENCE of the event's details
    created_by          bigint REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (booking_opens_at < booking_closes_at AND booking_closes_at <= starts_at),
    CHECK (cancellation_cutoff <= starts_at),
    -- No sequence of requests can overbook an event.
    CHECK (capacity IS NULL OR booked_count <= capacity),
    CHECK (booked_count >= 0)
);
CREATE INDEX events_partner_idx ON events (delivery_partner_id, starts_at);
CREATE INDEX events_item_idx ON events (item_id, starts_at);
CREATE INDEX events_starts_idx ON events (starts_at) WHERE cancelled_at IS NULL;

-- The cohorts an event is offered to.
CREATE TABLE event_cohorts (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    cohort_id bigint NOT NULL REFERENCES cohorts (id),
    PRIMARY KEY (event_id, cohort_id)
);
CREATE INDEX event_cohorts_cohort_idx ON event_cohorts (cohort_id);

-- A participant's place on an event: its current state. Every change is also appended to
-- booking_history.
CREATE TABLE bookings (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          bigint NOT NULL REFERENCES events (id),
    enrolment_id      bigint NOT NULL REFERENCES enrolments (id),
    item_id           bigint NOT NULL REFERENCES block_items (id),
    status            text NOT NULL CHECK (status IN ('booked', 'waiting', 'cancelled')),
    waiting_since     timestamptz,                        -- first come, first served
    attendance        text CHECK (attendance IN ('attended', 'partial', 'absent', 'excused')),
    attendance_note   text NOT NULL DEFAULT '',
    sequence          int NOT NULL DEFAULT 0,             -- iCalendar SEQUENCE of this booking
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, enrolment_id),
    CHECK ((status = 'waiting') = (waiting_since IS NOT NULL))
);
-- One place and at most one waiting-list entry per participant per item.
CREATE UNIQUE INDEX bookings_one_place_per_item ON bookings (enrolment_id, item_id) WHERE status = 'booked';
CREATE UNIQUE INDEX bookings_one_wait_per_item ON bookings (enrolment_id, item_id) WHERE status = 'waiting';
CREATE INDEX bookings_event_idx ON bookings (event_id, status, waiting_since);
CREATE INDEX bookings_enrolment_idx ON bookings (enrolment_id, status);

-- +goose StatementBegin
CREATE FUNCTION bookings_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'booked' THEN
        UPDATE events SET booked_count = booked_count - 1 WHERE id = OLD.event_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'booked' THEN
        UPDATE events SET booked_count = booked_count + 1 WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER bookings_count AFTER INSERT OR UPDATE OF status OR DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION bookings_count();

CREATE TABLE booking_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id   bigint NOT NULL REFERENCES bookings (id),
    action       text NOT NULL CHECK (action IN ('booked', 'waiting', 'promoted', 'cancelled_by_participant',
                     'cancelled_for_change', 'cancelled_event_cancelled', 'cancelled_enrolment_ended', 'left_waiting_list',
                     'attended', 'partial', 'absent', 'excused')),
    note         text NOT NULL DEFAULT '',
    actor_id     bigint REFERENCES users (id),
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_history_booking_idx ON booking_history (booking_id, id);
CREATE TRIGGER booking_history_append_only BEFORE UPDATE OR DELETE ON booking_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Reminders sent, so each is sent once even with several app instances.
CREATE TABLE booking_reminders (
    booking_id bigint NOT NULL REFERENCES bookings (id),
    kind       text NOT NULL CHECK (kind IN ('7d', '1d')),
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (booking_id, kind)
);

-- Each participant's private calendar feed.
CREATE TABLE calendar_feeds (
    user_id    bigint PRIMARY KEY REFERENCES users (id),
    token      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Messages can carry one attachment (a calendar entry).
ALTER TABLE outbox
    ADD COLUMN attachment_name text NOT NULL DEFAULT '',
    ADD COLUMN attachment_type text NOT NULL DEFAULT '',
    ADD COLUMN attachment      text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN attachment_name, DROP COLUMN attachment_type, DROP COLUMN attachment;
DROP TABLE calendar_feeds;
DROP TABLE booking_reminders;
DROP TABLE booking_history;
DROP TABLE bookings;
DROP FUNCTION bookings_count();
DROP TABLE event_cohorts;
DROP TABLE events;
DROP INDEX item_completions_latest_idx;
ALTER TABLE item_completions DROP COLUMN completed;
ALTER TABLE item_completions ADD CONSTRAINT item_completions_enrolment_id_item_id_key UNIQUE (enrolment_id, item_id);
