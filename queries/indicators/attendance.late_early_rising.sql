-- id: attendance.late_early_rising
-- title.ja: 遅刻・早退の増加
-- title.en: Late arrivals and early leaves rising
-- description.ja: 直近{window_days}授業日の遅刻・早退が{min_count}回以上で、その前の{window_days}授業日より{min_increase}回以上多い。開始日は直近の期間の最初の遅刻・早退。
-- description.en: At least {min_count} late arrivals and early leaves in the last {window_days} school days, {min_increase} or more than in the {window_days} school days before; since = the first of the recent period.
-- unit: times
-- sources: attendance_days, school_days, enrolments
-- parameters: window_days:integer(5..60)=20, min_count:integer(1..60)=4, min_increase:integer(1..60)=3
-- urgency: 2
-- flags: alone
WITH days AS (
  SELECT school_code, day, row_number() OVER (PARTITION BY school_code ORDER BY day DESC) AS back
  FROM school_days
  WHERE academic_year = $academic_year AND day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code))
  QUALIFY back <= 2 * $window_days
),
counts AS (
  SELECT a.school_code, a.student_pid,
         count(*) FILTER (WHERE d.back <= $window_days) AS recent,
         count(*) FILTER (WHERE d.back > $window_days) AS previous,
         min(a.day) FILTER (WHERE d.back <= $window_days) AS first_day
  FROM attendance_days a
  JOIN days d ON d.school_code = a.school_code AND d.day = a.day
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status IN ('late', 'early_leave')
  GROUP BY ALL
)
SELECT e.school_code, e.student_pid, CAST(c.recent AS DOUBLE) AS value, c.first_day AS since
FROM counts c
JOIN enrolments e ON e.student_pid = c.student_pid AND e.school_code = c.school_code AND e.academic_year = $academic_year
WHERE c.recent >= $min_count AND c.recent - c.previous >= $min_increase
