-- id: attendance.consecutive_absences
-- title.ja: 連続欠席
-- title.en: Consecutive absences
-- description.ja: 基準日までの最後の授業日まで{min_days}授業日以上続けて欠席している(出席停止・忌引・臨時休業の日は連続を切らないが数えない)。開始日は連続欠席の最初の日。
-- description.en: Absent on each of at least {min_days} school days in a row up to the last school day by the date (suspension, mourning and closure days neither break nor count); since = the first day of the run.
-- unit: days
-- sources: attendance_records, school_days, school_refs, student_refs, enrolments
-- parameters: min_days:integer(2..60)=3
-- urgency: 4
-- flags: with_another
-- The days of the year are numbered only for the students who can have such a run (away_tail). Daily rows in
-- their compact form (attendance_records); pseudonyms and codes joined (watch_students) to those it fires for.
WITH days AS (
  SELECT s.school_ref, d.day,
         row_number() OVER (PARTITION BY d.school_code ORDER BY d.day) AS idx,
         count(*) OVER (PARTITION BY d.school_code) AS last_idx
  FROM school_days d JOIN school_refs s ON s.school_code = d.school_code
  WHERE d.academic_year = $academic_year AND d.day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR d.school_code IN (SELECT unnest($schools::VARCHAR[])))
),
year_away AS (
  SELECT a.school_ref, a.student_ref, a.day, a.status
  FROM attendance_records a
  WHERE a.academic_year = $academic_year AND a.day <= $as_of
    AND a.status IN ('absent', 'suspension', 'mourning', 'closure')
),
-- A run of at least $min_days absences that reaches the last school day covers at least the last $min_days
-- school days, each of them away: only the students away on every one of those days are looked at further.
away_tail AS (
  SELECT a.school_ref, a.student_ref
  FROM year_away a
  JOIN days d ON d.school_ref = a.school_ref AND d.day = a.day AND d.idx > d.last_idx - $min_days
  GROUP BY ALL
  HAVING count(DISTINCT a.day) = $min_days
),
away AS (
  SELECT a.school_ref, a.student_ref, a.day, d.idx, d.last_idx, a.status = 'absent' AS absent,
         d.idx - row_number() OVER (PARTITION BY a.school_ref, a.student_ref ORDER BY d.idx) AS run
  FROM year_away a
  JOIN away_tail l ON l.school_ref = a.school_ref AND l.student_ref = a.student_ref
  JOIN days d ON d.school_ref = a.school_ref AND d.day = a.day
),
runs AS (
  SELECT school_ref, student_ref, count(*) FILTER (WHERE absent) AS absences, min(day) FILTER (WHERE absent) AS first_day
  FROM away
  GROUP BY school_ref, student_ref, run
  HAVING max(idx) = any_value(last_idx) AND count(*) FILTER (WHERE absent) >= $min_days
)
SELECT e.school_code, e.student_pid, CAST(x.absences AS DOUBLE) AS value, x.first_day AS since
FROM runs x
JOIN watch_students e ON e.school_ref = x.school_ref AND e.student_ref = x.student_ref
