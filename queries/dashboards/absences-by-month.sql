-- Absence days per month of one school's enrolled students (or of $students, NULL = all) in a school year up
-- to $as_of: the chart of this year against last. Summed over the months, the absence days of attendance-as-of.
SELECT CAST(strftime(a.day, '%Y-%m') AS VARCHAR) AS month, CAST(count(*) AS INTEGER) AS absences
FROM attendance_records a
JOIN school_refs s ON s.school_ref = a.school_ref
JOIN student_refs r ON r.student_ref = a.student_ref
JOIN enrolments e
  ON e.student_pid = r.student_pid AND e.school_code = s.school_code AND e.academic_year = a.academic_year
WHERE s.school_code = $school AND a.academic_year = $academic_year AND a.day <= $as_of
  AND a.status = 'absent'::attendance_status
  AND ($students::VARCHAR[] IS NULL OR r.student_pid IN (SELECT unnest($students::VARCHAR[])))
GROUP BY ALL
ORDER BY ALL
