-- The flagged students of one school as of a date: grade, homeroom, absence days in the year so far, and
-- late arrivals and early leaves; pseudonyms only.
WITH wanted AS (SELECT unnest($students::VARCHAR[]) AS student_pid),
absences AS (
  SELECT a.student_pid, count(*) FILTER (WHERE a.status = 'absent') AS absent_days,
         count(*) FILTER (WHERE a.status IN ('late', 'early_leave')) AS late_or_early
  FROM attendance_days a JOIN wanted w ON w.student_pid = a.student_pid
  WHERE a.school_code = $school AND a.academic_year = $academic_year AND a.day <= $as_of
  GROUP BY a.student_pid
)
SELECT e.student_pid, e.grade, e.homeroom_id, h.title AS homeroom,
       CAST(coalesce(x.absent_days, 0) AS INTEGER) AS absent_days, CAST(coalesce(x.late_or_early, 0) AS INTEGER) AS late_or_early
FROM enrolments e
JOIN wanted w ON w.student_pid = e.student_pid
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
LEFT JOIN absences x ON x.student_pid = e.student_pid
WHERE e.school_code = $school AND e.academic_year = $academic_year
