-- The distinct IDs of a column that have no pseudonym in pid_map yet.
SELECT DISTINCT {{id}} AS raw FROM {{table}} WHERE {{id}} IS NOT NULL AND {{id}} NOT IN (SELECT raw FROM ingest_staging.pid_map)
