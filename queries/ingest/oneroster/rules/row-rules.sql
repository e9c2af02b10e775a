-- The rules every row of every OneRoster entity file meets ({{key}}: the file's key column): a sourcedId
-- (once per file: repeat-rules.sql), and status and dateLastModified as the file's mode wants them (bulk: a
-- blank status; delta: a status from the vocabulary and a date). The words are the catalogue's
-- (src/ingest/problems/oneroster-problems.ts); $statuses is the vocabulary (src/ingest/feeds/oneroster/vocabulary.ts).

-- @rule sourced_id_required
-- @severity error
-- @column sourcedId
-- @says_code oneroster.required
-- @param column sourcedId
-- @value NULL
-- @when
{{key}} IS NULL;

-- @rule status_vocabulary
-- @severity error
-- @column status
-- @says_code oneroster.either
-- @param column status
-- @param values $statuses
-- @when
status IS NOT NULL AND NOT list_contains($statuses, status);

-- @rule not_datetime
-- @severity error
-- @column dateLastModified
-- @says_code oneroster.not_datetime
-- @when
"dateLastModified" IS NOT NULL AND dlm IS NULL;

-- @rule status_blank_bulk
-- @severity error
-- @column status
-- @needs bulk
-- @says_code oneroster.status_blank_bulk
-- @when
status IS NOT NULL;

-- @rule status_required_delta
-- @severity error
-- @column status
-- @needs delta
-- @says_code oneroster.status_required_delta
-- @when
status IS NULL;

-- @rule date_last_modified_required_delta
-- @severity error
-- @column dateLastModified
-- @needs delta
-- @says_code oneroster.dlm_required_delta
-- @when
"dateLastModified" IS NULL;
