-- +goose Up
-- Set when the participant's name was found in a supporting document, so they and admins
-- can see that it would tell markers whose work it is.
ALTER TABLE submission_files ADD COLUMN names_participant boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE submission_files DROP COLUMN names_participant;
