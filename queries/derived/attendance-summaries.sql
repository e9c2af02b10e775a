-- Refreshes school_year_days and attendance_student_year (migrations/warehouse/004) for the schools and
-- years batch $batch touched (temp.derived_touched, queries/derived/touched.sql), inside the batch's own
-- transaction. Statements run in order. Only the rows of the touched years are read: a recount, never
-- an increment, so the tables stay equal to the daily rows however often a year is loaded again.

DELETE FROM main.school_year_days y USING temp.derived_touched t
WHERE (t.by_attendance OR t.by_calendar) AND t.school_code = y.school_code AND t.academic_year = y.academic_year;

-- Without a calendar, the distinct dates of the attendance rows: found first (a small aggregate over
-- the rows), then counted, instead of two DISTINCT aggregates over every row.
INSERT INTO main.school_year_days
WITH touched AS (SELECT school_code, academic_year FROM temp.derived_touched WHERE by_attendance OR by_calendar),
without_calendar AS (SELECT * FROM touched t
                     WHERE NOT EXISTS (SELECT 1 FROM main.school_days d WHERE d.school_code = t.school_code AND d.academic_year = t.academic_year)),
seen AS (SELECT DISTINCT a.school_code, a.academic_year, a.day
         FROM main.attendance_records a JOIN without_calendar w ON w.school_code = a.school_code AND w.academic_year = a.academic_year)
SELECT d.school_code, d.academic_year, count(*), count(DISTINCT date_trunc('week', d.day)), true
FROM main.school_days d JOIN touched t ON t.school_code = d.school_code AND t.academic_year = d.academic_year
GROUP BY ALL
UNION ALL
SELECT school_code, academic_year, count(*), count(DISTINCT date_trunc('week', day)), false
FROM seen
GROUP BY ALL;

DELETE FROM main.attendance_student_year y USING temp.derived_touched t
WHERE t.by_attendance AND t.school_code = y.school_code AND t.academic_year = y.academic_year;

-- Counted per student number (student_refs) over the daily rows; the pseudonym is joined to the counts.
INSERT INTO main.attendance_student_year
WITH touched AS (SELECT school_code, academic_year FROM temp.derived_touched WHERE by_attendance),
days AS (
  SELECT a.* FROM main.attendance_records a JOIN touched t ON t.school_code = a.school_code AND t.academic_year = a.academic_year
),
by_reason AS (
  SELECT student_ref, school_code, academic_year, coalesce(CAST(reason AS VARCHAR), 'other') AS reason, count(*) AS days
  FROM days WHERE status = 'absent' GROUP BY ALL
),
absences AS (
  SELECT student_ref, school_code, academic_year, sum(days) AS absent_days, max(days) AS top_days, arg_max(reason, days) AS leader, list(days) AS all_days
  FROM by_reason GROUP BY ALL
),
excused AS (
  SELECT student_ref, school_code, academic_year, count(*) AS excused_days
  FROM days WHERE status IN ('suspension', 'mourning', 'closure') GROUP BY ALL
)
SELECT r.student_pid, coalesce(a.school_code, x.school_code), coalesce(a.academic_year, x.academic_year),
       coalesce(x.excused_days, 0), coalesce(a.absent_days, 0),
       CASE WHEN a.absent_days IS NULL THEN NULL WHEN len(list_filter(a.all_days, n -> n = a.top_days)) > 1 THEN 'other' ELSE a.leader END
FROM absences a
FULL JOIN excused x ON x.student_ref = a.student_ref AND x.school_code = a.school_code AND x.academic_year = a.academic_year
JOIN main.student_refs r ON r.student_ref = coalesce(a.student_ref, x.student_ref)
