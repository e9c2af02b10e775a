-- The records behind guidance.bullying_cases for one school and year.
SELECT left(g.student_pid, 10) AS student, e.grade, g.type_code AS type, coalesce(h.title, '(学級なし)') AS homeroom,
       g.recorded_on, g.discovered_by, g.resolved, g.serious
FROM guidance_records g
JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
WHERE g.academic_year = $academic_year AND g.school_code = $school AND g.category = 'bullying'
ORDER BY e.grade, homeroom, g.recorded_on
