-- Absence days per week (weeks from Monday) of some students of one school, in the $weeks weeks up to a date.
SELECT a.student_pid, CAST(CAST(date_trunc('week', a.day) AS DATE) AS VARCHAR) AS week, CAST(count(*) AS INTEGER) AS absences
FROM attendance_days a
WHERE a.school_code = $school AND a.academic_year = $academic_year AND a.status = 'absent'
  AND a.day <= $as_of AND a.day >= CAST(date_trunc('week', $as_of) AS DATE) - 7 * (CAST($weeks AS INTEGER) - 1)
  AND a.student_pid IN (SELECT unnest($students::VARCHAR[]))
GROUP BY ALL
