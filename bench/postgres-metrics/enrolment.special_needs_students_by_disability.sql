-- queries/metrics/enrolment.special_needs_students_by_disability.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT e.school_code, coalesce(h.disability_type, 'unspecified') AS disability, coalesce(s.sex, 'unspecified') AS sex,
       count(*) AS value
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE e.academic_year = $1
  AND e.special_needs
  AND ($2::text[] IS NULL OR e.school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3, 4
