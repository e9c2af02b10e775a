-- id: attendance.consecutive_absences
-- title.ja: 連続欠席
-- title.en: Consecutive absences
-- description.ja: 基準日までの最後の授業日まで{min_days}授業日以上続けて欠席している(出席停止・忌引・臨時休業の日は連続を切らないが数えない)。開始日は連続欠席の最初の日。
-- description.en: Absent on each of at least {min_days} school days in a row up to the last school day by the date (suspension, mourning and closure days neither break nor count); since = the first day of the run.
-- unit: days
-- sources: attendance_days, school_days, enrolments
-- parameters: min_days:integer(2..60)=3
-- urgency: 4
-- flags: with_another
WITH days AS (
  SELECT school_code, day,
         row_number() OVER (PARTITION BY school_code ORDER BY day) AS idx,
         count(*) OVER (PARTITION BY school_code) AS last_idx
  FROM school_days
  WHERE academic_year = $academic_year AND day <= $as_of
    AND ($schools::VARCHAR[] IS NULL OR list_contains($schools::VARCHAR[], school_code))
),
away AS (
  SELECT a.school_code, a.student_pid, a.day, d.idx, d.last_idx, a.status = 'absent' AS absent,
         d.idx - row_number() OVER (PARTITION BY a.school_code, a.student_pid ORDER BY d.idx) AS run
  FROM attendance_days a
  JOIN days d ON d.school_code = a.school_code AND d.day = a.day
  WHERE a.academic_year = $academic_year AND a.day <= $as_of
    AND a.status IN ('absent', 'suspension', 'mourning', 'closure')
),
runs AS (
  SELECT school_code, student_pid, max(idx) AS run_end, any_value(last_idx) AS last_idx,
         count(*) FILTER (WHERE absent) AS absences, min(day) FILTER (WHERE absent) AS first_day
  FROM away
  GROUP BY school_code, student_pid, run
)
SELECT e.school_code, e.student_pid, CAST(r.absences AS DOUBLE) AS value, r.first_day AS since
FROM runs r
JOIN enrolments e ON e.student_pid = r.student_pid AND e.school_code = r.school_code AND e.academic_year = $academic_year
WHERE r.run_end = r.last_idx AND r.absences >= $min_days
