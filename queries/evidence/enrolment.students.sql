-- The students behind enrolment.students for one school and year: one pseudonymous row each.
SELECT left(e.student_pid, 10) AS student, e.grade, coalesce(s.sex, 'unspecified') AS sex,
       coalesce(h.title, '(学級なし)') AS homeroom, e.special_needs
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE e.academic_year = $academic_year AND e.school_code = $school
ORDER BY e.grade, homeroom, student
