-- id: attendance.late_early_rising
-- title.ja: 遅刻・早退の増加
-- title.en: Late arrivals and early leaves rising
-- description.ja: 直近{window_days}授業日の遅刻・早退が{min_count}回以上で、その前の{window_days}授業日より{min_increase}回以上多い。開始日は直近の期間の最初の遅刻・早退。
-- description.en: At least {min_count} late arrivals and early leaves in the last {window_days} school days, {min_increase} or more than in the {window_days} school days before; since = the first of the recent period.
-- unit: times
-- sources: attendance_records, school_days, school_refs, student_refs, enrolments
-- parameters: window_days:integer(5..60)=20, min_count:integer(1..60)=4, min_increase:integer(1..60)=3
-- urgency: 2
-- flags: alone
-- Daily rows in their compact form (attendance_records); pseudonyms and codes joined (watch_students) to the students it fires for.
WITH days AS (
  SELECT s.school_ref, d.day, row_number() OVER (PARTITION BY d.school_code ORDER BY d.day DESC) AS back
  FROM school_days d JOIN school_refs s ON s.school_code = d.school_code
  WHERE d.academic_year = $academic_year AND d.day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR d.school_code IN (SELECT unnest($schools::VARCHAR[])))
  QUALIFY back <= 2 * $window_days
),
counts AS (
  SELECT a.school_ref, a.student_ref,
         count(*) FILTER (WHERE d.back <= $window_days) AS recent,
         count(*) FILTER (WHERE d.back > $window_days) AS previous,
         min(a.day) FILTER (WHERE d.back <= $window_days) AS first_day
  FROM attendance_records a
  JOIN days d ON d.school_ref = a.school_ref AND d.day = a.day
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.day >= (SELECT min(day) FROM days)
    AND a.status IN ('late', 'early_leave')
  GROUP BY ALL
)
SELECT e.school_code, e.student_pid, CAST(c.recent AS DOUBLE) AS value, c.first_day AS since
FROM counts c
JOIN watch_students e ON e.school_ref = c.school_ref AND e.student_ref = c.student_ref
WHERE c.recent >= $min_count AND c.recent - c.previous >= $min_increase
