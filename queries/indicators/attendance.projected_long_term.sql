-- id: attendance.projected_long_term
-- title.ja: 年度末に欠席30日に達する見込み
-- title.en: On course for 30 absence days by the year's end
-- description.ja: 年度の欠席日数に、直近{pace_days}授業日の欠席のペースで残りの授業日を欠席したとした日数を加えると{projected_days}日以上(欠席がすでに{min_absences}日以上、年度の授業日が{min_elapsed_days}日以上過ぎてから)。値は見込みの欠席日数。開始日は直近の期間の最初の欠席。
-- description.en: Absences so far plus the remaining school days at the pace of the last {pace_days} school days reach {projected_days} (once {min_absences} absences and {min_elapsed_days} school days have passed). Value = the projected absence days; since = the first absence of the recent period.
-- unit: days
-- sources: attendance_records, school_days, school_refs, student_refs, enrolments
-- parameters: pace_days:integer(10..120)=40, projected_days:integer(10..60)=30, min_absences:integer(1..30)=3, min_elapsed_days:integer(5..100)=20
-- urgency: 3
-- flags: alone
-- Daily rows in their compact form (attendance_records); pseudonyms and codes joined (watch_students) to the students it fires for.
WITH calendar AS (
  SELECT d.school_code, d.day, d.day <= $as_of AS elapsed,
         CASE WHEN d.day <= $as_of THEN row_number() OVER (PARTITION BY d.school_code, d.day <= $as_of ORDER BY d.day DESC) END AS back
  FROM school_days d
  WHERE d.academic_year = $academic_year
    AND ($schools::VARCHAR[] IS NULL OR d.school_code IN (SELECT unnest($schools::VARCHAR[])))
),
year AS (
  SELECT s.school_ref, count(*) FILTER (WHERE c.elapsed) AS elapsed_days, count(*) FILTER (WHERE NOT c.elapsed) AS remaining_days,
         min(c.day) FILTER (WHERE c.back <= $pace_days) AS pace_from
  FROM calendar c JOIN school_refs s ON s.school_code = c.school_code
  GROUP BY s.school_ref
),
absences AS (
  SELECT a.school_ref, a.student_ref, count(*) AS so_far,
         count(*) FILTER (WHERE a.day >= y.pace_from) AS recent,
         min(a.day) FILTER (WHERE a.day >= y.pace_from) AS recent_first
  FROM attendance_records a
  JOIN year y ON y.school_ref = a.school_ref
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND a.status = 'absent'
  GROUP BY ALL
  HAVING count(*) >= $min_absences
),
projected AS (
  SELECT x.*, y.elapsed_days,
         x.so_far + x.recent / least($pace_days, y.elapsed_days) * y.remaining_days AS projection
  FROM absences x JOIN year y ON y.school_ref = x.school_ref
)
SELECT e.school_code, e.student_pid, round(p.projection, 1) AS value, coalesce(p.recent_first, $as_of) AS since
FROM projected p
JOIN watch_students e ON e.school_ref = p.school_ref AND e.student_ref = p.student_ref
WHERE p.elapsed_days >= $min_elapsed_days AND p.projection >= $projected_days
