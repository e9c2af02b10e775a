-- queries/metrics/attendance.counted_present_by_place.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
-- The daily rows as the warehouse's attendance_days view shows them (pseudonym and school code on each row).
WITH counted AS (
  SELECT DISTINCT student_pid, school_code, coalesce(place, 'unspecified') AS place FROM attendance_days
  WHERE academic_year = $1 AND status = 'counted_present'
)
SELECT y.school_code, c.place AS counted_present_place, y.grade, coalesce(y.sex, 'unspecified') AS sex, count(*) AS value
FROM student_year_attendance y
JOIN counted c ON c.student_pid = y.student_pid AND c.school_code = y.school_code
WHERE y.academic_year = $1
  AND y.absent_days >= 30
  AND y.main_reason = 'non_attendance'
  AND ($2::text[] IS NULL OR y.school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4, 5
