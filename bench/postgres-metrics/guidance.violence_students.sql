-- queries/metrics/guidance.violence_students.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT g.school_code, e.grade, coalesce(s.sex, 'unspecified') AS sex, count(DISTINCT g.student_pid) AS value
FROM guidance_records g
JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
JOIN students s ON s.student_pid = g.student_pid
WHERE g.academic_year = $1
  AND g.category = 'violence'
  AND ($2::text[] IS NULL OR g.school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3, 4
