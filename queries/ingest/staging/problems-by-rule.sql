SELECT severity, file, "column", rule, code, params, count(*) AS n FROM ingest_staging.problems
GROUP BY ALL ORDER BY severity, file, "column", rule
