-- The students behind attendance.futoko_attendance for one school and year: 不登校, absent 90 days or more.
SELECT left(a.student_pid, 10) AS student, a.grade, coalesce(a.sex, 'unspecified') AS sex, coalesce(h.title, '(学級なし)') AS homeroom,
       CASE WHEN a.attended_days >= 11 THEN 'absent_90_attended_11_plus'
            WHEN a.attended_days >= 1 THEN 'absent_90_attended_1_10'
            ELSE 'absent_90_attended_0' END AS band,
       a.absent_days, a.attended_days
FROM student_year_attendance a
LEFT JOIN homerooms h ON h.homeroom_id = a.homeroom_id AND h.academic_year = a.academic_year
WHERE a.academic_year = $academic_year AND a.school_code = $school AND a.absent_days >= 90 AND a.main_reason = 'non_attendance'
ORDER BY a.grade, homeroom, student
