-- id: attendance.recent_absences
-- title.ja: 直近の欠席が多い
-- title.en: Many recent absences
-- description.ja: 基準日までの直近{window_days}授業日のうち、欠席が{min_absences}日以上。開始日は数えた欠席の最初の日。
-- description.en: At least {min_absences} absence days in the last {window_days} school days up to the date; since = the first absence counted.
-- unit: days
-- sources: attendance_days, school_days, enrolments
-- parameters: window_days:integer(5..100)=20, min_absences:integer(1..100)=5
-- urgency: 3
-- flags: with_another
WITH days AS (
  SELECT school_code, day
  FROM school_days
  WHERE academic_year = $academic_year AND day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code))
  QUALIFY row_number() OVER (PARTITION BY school_code ORDER BY day DESC) <= $window_days
),
absent AS (
  SELECT a.school_code, a.student_pid, count(*) AS absences, min(a.day) AS first_day
  FROM attendance_days a
  JOIN days d ON d.school_code = a.school_code AND d.day = a.day
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status = 'absent'
  GROUP BY ALL
)
SELECT e.school_code, e.student_pid, CAST(x.absences AS DOUBLE) AS value, x.first_day AS since
FROM absent x
JOIN enrolments e ON e.student_pid = x.student_pid AND e.school_code = x.school_code AND e.academic_year = $academic_year
WHERE x.absences >= $min_absences
