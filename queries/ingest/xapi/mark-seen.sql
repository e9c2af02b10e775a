-- Marks (skip) the valid statements of {{table}} not to write, in turn: a later copy of an id within the file,
-- an id an earlier xAPI file of this batch had, an id already in the warehouse (LRS exports overlap). Only
-- valid statements count: with --accept-partial a valid copy loads even when an earlier copy was rejected.
UPDATE {{table}} SET skip = 'file', dup_of = f.first_line
FROM (SELECT line, min(line) OVER (PARTITION BY statement_id) AS first_line FROM {{table}} WHERE NOT rejected) f
WHERE {{table}}.line = f.line AND f.line <> f.first_line;
UPDATE {{table}} SET skip = 'batch', dup_of = s.line, dup_file = s.file FROM ingest_staging.xapi_seen s
WHERE {{table}}.statement_id = s.statement_id AND NOT {{table}}.rejected AND {{table}}.skip IS NULL;
UPDATE {{table}} SET skip = 'warehouse' FROM main.learning_activity la
WHERE la.statement_id = {{table}}.statement_id AND NOT {{table}}.rejected AND {{table}}.skip IS NULL;
-- What this file writes, for the batch's later files.
INSERT INTO ingest_staging.xapi_seen SELECT statement_id, $file, line FROM {{table}} WHERE NOT rejected AND skip IS NULL;
