-- The students behind guidance.violence_students for one school and year, with their number of violence records.
SELECT left(g.student_pid, 10) AS student, g.grade, coalesce(s.sex, 'unspecified') AS sex, coalesce(h.title, '(学級なし)') AS homeroom,
       count(*) AS records
FROM guidance_records g
JOIN students s ON s.student_pid = g.student_pid
LEFT JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE g.academic_year = $academic_year AND g.school_code = $school AND g.category = 'violence' AND g.enrolled
GROUP BY ALL
ORDER BY g.grade, homeroom, student
