-- The students behind attendance.counted_present_by_place for one school and year: one row per student and
-- place, with the days counted present there.
WITH counted AS (
  SELECT student_pid, coalesce(place, 'unspecified') AS counted_present_place, count(*) AS counted_present_days
  FROM attendance_days
  WHERE academic_year = $academic_year AND school_code = $school AND status = 'counted_present'
  GROUP BY ALL
)
SELECT left(a.student_pid, 10) AS student, c.counted_present_place, a.grade, coalesce(a.sex, 'unspecified') AS sex,
       coalesce(h.title, '(学級なし)') AS homeroom, c.counted_present_days, a.absent_days
FROM student_year_attendance a
JOIN counted c ON c.student_pid = a.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = a.homeroom_id AND h.academic_year = a.academic_year
WHERE a.academic_year = $academic_year AND a.school_code = $school AND a.absent_days >= 30 AND a.main_reason = 'non_attendance'
ORDER BY c.counted_present_place, a.grade, homeroom, student
