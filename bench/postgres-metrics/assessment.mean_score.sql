-- queries/metrics/assessment.mean_score.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
-- round(double, 2) → round(numeric, 2): PostgreSQL has no two-argument round for double precision. The
-- numeric round is exact decimal rounding (67.475 → 67.48); DuckDB's round of a DOUBLE rounds the binary value
-- (67.474999… → 67.47), so a mean ending in exactly 5 in the third decimal differs by 0.01 until the DuckDB
-- query rounds a DECIMAL (round(avg(a.score)::DECIMAL(18,6), 2)); the bench prints those rows.
SELECT a.school_code, e.grade, a.subject, round(avg(a.score)::numeric, 2)::float8 AS value
FROM assessment_results a
JOIN enrolments e ON e.student_pid = a.student_pid AND e.school_code = a.school_code AND e.academic_year = a.academic_year
WHERE a.academic_year = $1
  AND ($2::text[] IS NULL OR a.school_code = ANY ($2::text[]))
GROUP BY a.school_code, e.grade, a.subject
ORDER BY 1, 2, 3, 4
