-- id: attendance.projected_long_term
-- title.ja: 年度末に欠席30日に達する見込み
-- title.en: On course for 30 absence days by the year's end
-- description.ja: 年度の欠席日数に、直近{pace_days}授業日の欠席のペースで残りの授業日を欠席したとした日数を加えると{projected_days}日以上(欠席がすでに{min_absences}日以上、年度の授業日が{min_elapsed_days}日以上過ぎてから)。値は見込みの欠席日数。開始日は直近の期間の最初の欠席。
-- description.en: Absences so far plus the remaining school days at the pace of the last {pace_days} school days reach {projected_days} (once {min_absences} absences and {min_elapsed_days} school days have passed). Value = the projected absence days; since = the first absence of the recent period.
-- unit: days
-- sources: attendance_days, school_days, enrolments
-- parameters: pace_days:integer(10..120)=40, projected_days:integer(10..60)=30, min_absences:integer(1..30)=3, min_elapsed_days:integer(5..100)=20
-- urgency: 3
-- flags: alone
WITH calendar AS (
  SELECT school_code, day, day <= $as_of AS elapsed,
         CASE WHEN day <= $as_of THEN row_number() OVER (PARTITION BY school_code, day <= $as_of ORDER BY day DESC) END AS back
  FROM school_days
  WHERE academic_year = $academic_year
    AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code))
),
year AS (
  SELECT school_code, count(*) FILTER (WHERE elapsed) AS elapsed_days, count(*) FILTER (WHERE NOT elapsed) AS remaining_days,
         min(day) FILTER (WHERE back <= $pace_days) AS pace_from
  FROM calendar
  GROUP BY school_code
),
absences AS (
  SELECT a.school_code, a.student_pid, count(*) AS so_far,
         count(*) FILTER (WHERE a.day >= y.pace_from) AS recent,
         min(a.day) FILTER (WHERE a.day >= y.pace_from) AS recent_first
  FROM attendance_days a
  JOIN year y ON y.school_code = a.school_code
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status = 'absent'
  GROUP BY ALL
),
projected AS (
  SELECT x.*, y.elapsed_days,
         x.so_far + x.recent / least($pace_days, y.elapsed_days) * y.remaining_days AS projection
  FROM absences x JOIN year y ON y.school_code = x.school_code
)
SELECT e.school_code, e.student_pid, round(p.projection, 1) AS value, coalesce(p.recent_first, $as_of) AS since
FROM projected p
JOIN enrolments e ON e.student_pid = p.student_pid AND e.school_code = p.school_code AND e.academic_year = $academic_year
WHERE p.elapsed_days >= $min_elapsed_days AND p.so_far >= $min_absences AND p.projection >= $projected_days
