-- Statements marked not to write (mark-seen.sql) because another copy of their id stands: a warning each,
-- naming the copy that stands. The words are the catalogue's (src/ingest/problems/xapi-problems.ts).

-- @rule repeat_in_file
-- @severity warning
-- @column id
-- @says_code xapi.repeat_in_file
-- @value 'same id as row ' || dup_of
-- @when
skip = 'file';

-- @rule repeat_in_batch
-- @severity warning
-- @column id
-- @says_code xapi.repeat_in_batch
-- @value 'same id as ' || dup_file || ' row ' || dup_of
-- @when
skip = 'batch';
