-- The records behind guidance.violence_incidents for one school and year.
SELECT left(g.student_pid, 10) AS student, g.grade, coalesce(h.title, '(学級なし)') AS homeroom, g.recorded_on, g.type_code,
       CASE WHEN g.type_code IN ('teacher_in', 'teacher_out', 'student_in', 'student_out', 'person_in', 'person_out', 'property_in', 'property_out')
            THEN split_part(g.type_code, '_', 1) ELSE 'unrecorded' END AS violence_form,
       CASE WHEN g.type_code IN ('teacher_in', 'student_in', 'person_in', 'property_in') THEN 'in_school'
            WHEN g.type_code IN ('teacher_out', 'student_out', 'person_out', 'property_out') THEN 'outside_school'
            ELSE 'unrecorded' END AS place
FROM guidance_records g
LEFT JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE g.academic_year = $academic_year AND g.school_code = $school AND g.category = 'violence'
ORDER BY g.grade, homeroom, g.recorded_on, student
