-- +goose Up
-- The school a participant works at for this place, as their application gave it: staff tell
-- two people of the same name apart by it, and search rosters by it.
ALTER TABLE enrolments ADD COLUMN school text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE enrolments DROP COLUMN school;
