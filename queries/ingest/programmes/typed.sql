CREATE TABLE {{table}} AS
SELECT r.*, TRY_CAST(r.start_date AS DATE) AS start_day, TRY_CAST(r.end_date AS DATE) AS end_day, sc.valid AS school_code_valid
FROM {{raw}} r LEFT JOIN ingest_staging.school_code_check sc ON sc.code = r.school_code
