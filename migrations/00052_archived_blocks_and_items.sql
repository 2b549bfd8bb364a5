-- +goose Up
-- A block or activity that something depends on is archived rather than removed: hidden from
-- participants and from new cohorts, kept for history.
ALTER TABLE blocks ADD COLUMN archived_at timestamptz;
ALTER TABLE block_items ADD COLUMN archived_at timestamptz;

-- +goose Down
ALTER TABLE block_items DROP COLUMN archived_at;
ALTER TABLE blocks DROP COLUMN archived_at;
