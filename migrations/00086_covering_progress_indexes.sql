-- +goose Up
-- Progress and places booked are counted per enrolment on the busiest pages (request queues,
-- rosters, engagement, a participant's journey). With the completion flag and the booked event
-- in the index, each count reads the index alone instead of one table row per record: at
-- national size a page of 50 deferral requests read about 1,300 table rows for it.
CREATE INDEX item_completions_latest_covering_idx ON item_completions (enrolment_id, item_id, id DESC) INCLUDE (completed);
DROP INDEX item_completions_latest_idx;
ALTER INDEX item_completions_latest_covering_idx RENAME TO item_completions_latest_idx;

CREATE INDEX bookings_enrolment_covering_idx ON bookings (enrolment_id, status) INCLUDE (event_id);
DROP INDEX bookings_enrolment_idx;
ALTER INDEX bookings_enrolment_covering_idx RENAME TO bookings_enrolment_idx;

-- +goose Down
CREATE INDEX item_completions_latest_plain_idx ON item_completions (enrolment_id, item_id, id DESC);
DROP INDEX item_completions_latest_idx;
ALTER INDEX item_completions_latest_plain_idx RENAME TO item_completions_latest_idx;

CREATE INDEX bookings_enrolment_plain_idx ON bookings (enrolment_id, status);
DROP INDEX bookings_enrolment_idx;
ALTER INDEX bookings_enrolment_plain_idx RENAME TO bookings_enrolment_idx;
