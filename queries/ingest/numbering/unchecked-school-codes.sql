-- The distinct school codes of a column not checked yet (the MEXT check digit is checked in Node).
SELECT DISTINCT {{column}} AS code FROM {{table}}
WHERE {{column}} IS NOT NULL AND {{column}} NOT IN (SELECT code FROM ingest_staging.school_code_check)
