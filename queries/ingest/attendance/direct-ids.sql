-- The first read's IDs, trimmed.
CREATE TABLE {{read_ids}} AS SELECT raw, ingest_staging.trimmed_or_null(raw) AS id, rows, pid FROM {{counts}}
