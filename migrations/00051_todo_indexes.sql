-- +goose Up
-- Places booked on events whose attendance is not recorded: the to-do list's registers not
-- taken probe it once per past event, so it stays as small as the registers left to take.
CREATE INDEX bookings_unmarked_idx ON bookings (event_id) WHERE status = 'booked' AND attendance IS NULL;

-- +goose Down
DROP INDEX bookings_unmarked_idx;
