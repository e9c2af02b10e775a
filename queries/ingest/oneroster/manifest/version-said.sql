-- Whether a problem of the manifest ($1: its file) already says that its oneroster.version is wrong: then a
-- missing version is not said again.
SELECT 1 FROM ingest_staging.problems WHERE file = $1 AND code = 'oneroster.either' AND params LIKE '%"oneroster.version"%'
