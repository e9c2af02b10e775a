-- The absence reasons recorded for some students of one school in the year up to a date (days per reason; NULL = none given).
SELECT a.student_pid, a.reason, CAST(count(*) AS INTEGER) AS days
FROM attendance_days a
WHERE a.school_code = $school AND a.academic_year = $academic_year AND a.status = 'absent' AND a.day <= $as_of
  AND a.student_pid IN (SELECT unnest($students::VARCHAR[]))
GROUP BY ALL
