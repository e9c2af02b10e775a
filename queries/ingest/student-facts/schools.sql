-- The schools the rows name: a valid code (school_code_check), known, and whether a calendar lists their days.
CREATE TABLE {{schools}} AS
SELECT n.school_code, c.valid, n.school_code IN (SELECT school_code FROM ingest_staging.known_schools) AS known,
       n.school_code IN (SELECT school_code FROM ingest_staging.known_school_days) AS has_calendar
FROM (SELECT DISTINCT school_code FROM {{combos}} WHERE school_code IS NOT NULL) n
JOIN ingest_staging.school_code_check c ON c.code = n.school_code
