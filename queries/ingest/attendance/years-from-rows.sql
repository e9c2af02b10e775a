-- The schools, years and dates the rows that load cover (some rows were rejected).
CREATE TABLE {{years}} AS
SELECT school_code, academic_year, min(day) AS first_day, max(day) AS last_day FROM {{rows}} WHERE NOT rejected GROUP BY ALL
