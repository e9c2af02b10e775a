-- The students behind attendance.futoko_severity for one school and year: a row per student and band.
WITH futoko AS (
  SELECT a.*, coalesce(h.title, '(学級なし)') AS homeroom
  FROM student_year_attendance a
  LEFT JOIN homerooms h ON h.homeroom_id = a.homeroom_id AND h.academic_year = a.academic_year
  WHERE a.academic_year = $academic_year AND a.school_code = $school AND a.absent_days >= 30 AND a.main_reason = 'non_attendance'
)
SELECT left(student_pid, 10) AS student, grade, homeroom, band, absent_days, attended_days FROM (
  SELECT *, 'absent_90_plus' AS band FROM futoko WHERE absent_days >= 90
  UNION ALL SELECT *, 'attended_10_or_less' FROM futoko WHERE attended_days <= 10
  UNION ALL SELECT *, 'attended_0' FROM futoko WHERE attended_days = 0
)
ORDER BY grade, homeroom, student, band
