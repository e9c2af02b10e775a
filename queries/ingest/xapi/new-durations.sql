-- The duration texts of {{raw}} not parsed yet (each once): parsed in Node into xapi_durations.
SELECT DISTINCT duration AS text FROM {{raw}}
WHERE duration_type = 'VARCHAR' AND duration NOT IN (SELECT text FROM ingest_staging.xapi_durations)
