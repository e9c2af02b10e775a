-- The students behind attendance.long_term_absence for one school and year, with their day counts.
SELECT left(a.student_pid, 10) AS student, a.grade, coalesce(a.sex, 'unspecified') AS sex, a.main_reason AS reason,
       coalesce(h.title, '(学級なし)') AS homeroom, a.absent_days, a.excused_days, a.required_days, a.attended_days
FROM student_year_attendance a
LEFT JOIN homerooms h ON h.homeroom_id = a.homeroom_id AND h.academic_year = a.academic_year
WHERE a.academic_year = $academic_year AND a.school_code = $school AND a.absent_days >= 30
ORDER BY a.grade, homeroom, student
