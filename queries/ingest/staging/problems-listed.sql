-- The first problems of a batch in file and row order, for its report (every one is counted by rule).
SELECT severity, file, "row", "column", value, rule, code, params FROM ingest_staging.problems
ORDER BY severity, file, "row" NULLS FIRST, "column" LIMIT $1
