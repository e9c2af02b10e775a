-- queries/metrics/attendance.rate.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
-- DuckDB's / of two integers is a double division; in PostgreSQL it would truncate, hence float8.
SELECT school_code, sum(attended_days)::float8 / sum(required_days)::float8 AS value
FROM student_year_attendance
WHERE academic_year = $1
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY school_code
ORDER BY 1, 2
