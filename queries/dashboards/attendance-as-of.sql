-- The school year's record of 出欠 per enrolled student of one school, counted up to a date: the columns
-- and the rules of the warehouse table student_year_attendance (queries/derived/student-year-attendance.sql,
-- attendance-summaries.sql), with every day after $as_of left out. On or after the year's last school day
-- it is that table's rows of the school. The dashboards run the metric catalogue's own SQL over these rows
-- (bound under the name student_year_attendance), so a figure the metrics give is the one they show.
--   $school         the school's MEXT code
--   $academic_year  the 年度
--   $as_of          the last day counted
--   $students       the students to keep (pseudonyms), NULL = every enrolled student
-- School days: the calendar's days up to $as_of; a school without a calendar that year counts the distinct
-- dates of its attendance rows up to $as_of (and has no row before its first).
WITH school AS (SELECT school_ref FROM school_refs WHERE school_code = $school),
calendar AS (
  SELECT day FROM school_days WHERE school_code = $school AND academic_year = $academic_year
),
days AS (
  SELECT CAST(count(*) FILTER (WHERE day <= $as_of) AS INTEGER) AS school_days FROM calendar
  HAVING count(*) > 0
  UNION ALL
  SELECT CAST(count(DISTINCT a.day) AS INTEGER) FROM attendance_records a JOIN school s ON s.school_ref = a.school_ref
  WHERE a.academic_year = $academic_year AND a.day <= $as_of AND NOT EXISTS (SELECT 1 FROM calendar)
  HAVING count(*) > 0
),
counted AS (
  SELECT a.student_ref, a.status, a.reason, count(*) AS days
  FROM attendance_records a JOIN school s ON s.school_ref = a.school_ref
  WHERE a.academic_year = $academic_year AND a.day <= $as_of
    AND a.status IN ('absent'::attendance_status, 'suspension'::attendance_status,
                     'mourning'::attendance_status, 'closure'::attendance_status)
  GROUP BY ALL
),
by_reason AS (
  SELECT student_ref, coalesce(CAST(reason AS VARCHAR), 'other') AS reason, sum(days) AS days
  FROM counted WHERE status = 'absent' GROUP BY ALL
),
absences AS (
  SELECT student_ref, sum(days) AS absent_days, max(days) AS top_days, arg_max(reason, days) AS leader,
         list(days) AS all_days
  FROM by_reason GROUP BY ALL
),
excused AS (
  SELECT student_ref, sum(days) AS excused_days
  FROM counted WHERE status IN ('suspension', 'mourning', 'closure') GROUP BY ALL
),
per_student AS (
  SELECT r.student_pid, coalesce(x.excused_days, 0) AS excused_days, coalesce(a.absent_days, 0) AS absent_days,
         CASE WHEN a.absent_days IS NULL THEN NULL
              WHEN len(list_filter(a.all_days, n -> n = a.top_days)) > 1 THEN 'other' ELSE a.leader END AS main_reason
  FROM absences a
  FULL JOIN excused x ON x.student_ref = a.student_ref
  JOIN student_refs r ON r.student_ref = coalesce(a.student_ref, x.student_ref)
)
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       CAST(coalesce(p.excused_days, 0) AS INTEGER) AS excused_days,
       CAST(d.school_days - coalesce(p.excused_days, 0) AS INTEGER) AS required_days,
       CAST(coalesce(p.absent_days, 0) AS INTEGER) AS absent_days,
       CAST(d.school_days - coalesce(p.excused_days, 0) - coalesce(p.absent_days, 0) AS INTEGER) AS attended_days,
       p.main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
CROSS JOIN days d
LEFT JOIN per_student p ON p.student_pid = e.student_pid
WHERE e.school_code = $school AND e.academic_year = $academic_year
  AND ($students::VARCHAR[] IS NULL OR e.student_pid IN (SELECT unnest($students::VARCHAR[])))
