-- Rows with an error are rejected.
UPDATE {{table}} SET rejected = true
WHERE line IN (SELECT "row" FROM ingest_staging.problems WHERE file = $1 AND severity = 'error' AND "row" IS NOT NULL)
