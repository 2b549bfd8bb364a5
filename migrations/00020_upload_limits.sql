-- +goose Up
-- A removed supporting document keeps its row (name, size, checksum, when) as the record of
-- what was there, but not its bytes.
ALTER TABLE submission_files ALTER COLUMN data DROP NOT NULL;
UPDATE submission_files SET data = NULL WHERE removed_at IS NOT NULL;
ALTER TABLE submission_files ADD CONSTRAINT submission_files_bytes_while_live CHECK ((removed_at IS NULL) = (data IS NOT NULL));

-- File names are base names of at most 100 characters without control characters; names
-- stored before this rule are cut down to fit.
UPDATE submission_files
   SET file_name = coalesce(nullif(left(regexp_replace(regexp_replace(file_name, '^.*[/\\]', ''), '[[:cntrl:]]', '', 'g'), 100), ''), 'document')
 WHERE char_length(file_name) > 100 OR file_name ~ '[[:cntrl:]/\\]';
ALTER TABLE submission_files ADD CONSTRAINT submission_files_file_name_check
    CHECK (char_length(file_name) BETWEEN 1 AND 100 AND file_name !~ '[[:cntrl:]/\\]');

-- +goose Down
ALTER TABLE submission_files DROP CONSTRAINT submission_files_file_name_check;
ALTER TABLE submission_files DROP CONSTRAINT submission_files_bytes_while_live;
UPDATE submission_files SET data = '\x'::bytea WHERE data IS NULL;
ALTER TABLE submission_files ALTER COLUMN data SET NOT NULL;
