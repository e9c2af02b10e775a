-- The students behind enrolment.special_needs_students_by_disability for one school and year.
SELECT left(e.student_pid, 10) AS student, coalesce(h.disability_type, 'unspecified') AS disability,
       coalesce(s.sex, 'unspecified') AS sex, e.grade, coalesce(h.title, '(学級なし)') AS homeroom
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE e.academic_year = $academic_year AND e.school_code = $school AND e.special_needs
ORDER BY disability, homeroom, student
