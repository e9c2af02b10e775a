SELECT count(*) AS n FROM ingest_staging.problems WHERE file = $1 AND severity = 'error'
