-- Refreshes school_year_days and attendance_student_year (migrations/warehouse/004) for the schools and
-- years batch $batch touched (temp.derived_touched, queries/derived/touched.sql; $first_year and
-- $last_year are the first and last of those years), inside the batch's own
-- transaction. Statements run in order. Only the rows of the touched years are read: a recount, never
-- an increment, so the tables stay equal to the daily rows however often a year is loaded again.

DELETE FROM main.school_year_days y USING temp.derived_touched t
WHERE (t.by_attendance OR t.by_calendar) AND t.school_code = y.school_code AND t.academic_year = y.academic_year;

-- Without a calendar, the distinct dates of the attendance rows. The daily rows are aggregated first (the
-- touched years only) and the small aggregate is matched to the touched schools: within the load's
-- transaction the planner does not count the rows just written, and would build a join's hash table
-- on them if they were joined as they are.
INSERT INTO main.school_year_days
WITH touched AS (SELECT school_code, academic_year FROM temp.derived_touched WHERE by_attendance OR by_calendar),
without_calendar AS (SELECT t.school_code, s.school_ref, t.academic_year FROM touched t JOIN main.school_refs s ON s.school_code = t.school_code
                     WHERE NOT EXISTS (SELECT 1 FROM main.school_days d WHERE d.school_code = t.school_code AND d.academic_year = t.academic_year)),
seen AS (SELECT school_ref, academic_year, day FROM main.attendance_records
         WHERE academic_year BETWEEN $first_year AND $last_year
         GROUP BY ALL)
SELECT d.school_code, d.academic_year, count(*), count(DISTINCT date_trunc('week', d.day)), true
FROM main.school_days d JOIN touched t ON t.school_code = d.school_code AND t.academic_year = d.academic_year
GROUP BY ALL
UNION ALL
SELECT w.school_code, s.academic_year, count(*), count(DISTINCT date_trunc('week', s.day)), false
FROM seen s JOIN without_calendar w ON w.school_ref = s.school_ref AND w.academic_year = s.academic_year
GROUP BY ALL;

DELETE FROM main.attendance_student_year y USING temp.derived_touched t
WHERE t.by_attendance AND t.school_code = y.school_code AND t.academic_year = y.academic_year;

-- Counted per student and school number (student_refs, school_refs) over the daily rows; the pseudonym
-- and the school code are joined to the counts. As above, the rows are counted first (the touched years'
-- days that are not plain attendance) and the counts matched to the touched schools.
INSERT INTO main.attendance_student_year
WITH touched AS (SELECT s.school_ref, t.academic_year FROM temp.derived_touched t JOIN main.school_refs s ON s.school_code = t.school_code WHERE t.by_attendance),
counted AS (
  SELECT student_ref, school_ref, academic_year, status, reason, count(*) AS days FROM main.attendance_records
  WHERE academic_year BETWEEN $first_year AND $last_year
    AND status IN ('absent'::attendance_status, 'suspension'::attendance_status, 'mourning'::attendance_status, 'closure'::attendance_status)
  GROUP BY ALL
),
days AS (SELECT c.* FROM counted c SEMI JOIN touched t ON t.school_ref = c.school_ref AND t.academic_year = c.academic_year),
by_reason AS (
  SELECT student_ref, school_ref, academic_year, coalesce(CAST(reason AS VARCHAR), 'other') AS reason, sum(days) AS days
  FROM days WHERE status = 'absent' GROUP BY ALL
),
absences AS (
  SELECT student_ref, school_ref, academic_year, sum(days) AS absent_days, max(days) AS top_days, arg_max(reason, days) AS leader, list(days) AS all_days
  FROM by_reason GROUP BY ALL
),
excused AS (
  SELECT student_ref, school_ref, academic_year, sum(days) AS excused_days
  FROM days WHERE status IN ('suspension', 'mourning', 'closure') GROUP BY ALL
)
SELECT r.student_pid, s.school_code, coalesce(a.academic_year, x.academic_year),
       coalesce(x.excused_days, 0), coalesce(a.absent_days, 0),
       CASE WHEN a.absent_days IS NULL THEN NULL WHEN len(list_filter(a.all_days, n -> n = a.top_days)) > 1 THEN 'other' ELSE a.leader END
FROM absences a
FULL JOIN excused x ON x.student_ref = a.student_ref AND x.school_ref = a.school_ref AND x.academic_year = a.academic_year
JOIN main.student_refs r ON r.student_ref = coalesce(a.student_ref, x.student_ref)
JOIN main.school_refs s ON s.school_ref = coalesce(a.school_ref, x.school_ref)
