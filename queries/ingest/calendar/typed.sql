-- A calendar's rows typed: the day, its school year, and whether the school code is valid.
CREATE TABLE {{table}} AS
SELECT r.*, TRY_CAST(r.date AS DATE) AS day, ingest_staging.academic_year_of(TRY_CAST(r.date AS DATE)) AS academic_year,
       sc.valid AS school_code_valid
FROM {{raw}} r LEFT JOIN ingest_staging.school_code_check sc ON sc.code = r.school_code
