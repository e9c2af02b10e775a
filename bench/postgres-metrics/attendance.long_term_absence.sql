-- queries/metrics/attendance.long_term_absence.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code, grade, coalesce(sex, 'unspecified') AS sex, main_reason AS reason, count(*) AS value
FROM student_year_attendance
WHERE academic_year = $1
  AND absent_days >= 30
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4, 5
