-- migrations/warehouse/003-metric-views.sql in PostgreSQL (the bench creates these in schema "daily": the record computed from the daily rows), same semantics:
--   GROUP BY ALL                       → explicit GROUP BY
--   arg_max(reason, days)              → (array_agg(reason ORDER BY days DESC))[1]
--   list(days) + len(list_filter(...)) → array_agg(days) + cardinality(ARRAY(SELECT ... WHERE n = top_days))
-- A tie for the most absence days gives 'other' either way, so which tied reason arg_max picks never shows.

CREATE VIEW school_year_days AS
SELECT school_code, academic_year, count(*) AS school_days, count(DISTINCT date_trunc('week', day)) AS weeks
FROM school_days
GROUP BY school_code, academic_year
UNION ALL
SELECT a.school_code, a.academic_year, count(DISTINCT a.day), count(DISTINCT date_trunc('week', a.day))
FROM attendance_days a
WHERE NOT EXISTS (SELECT 1 FROM school_days d WHERE d.school_code = a.school_code AND d.academic_year = a.academic_year)
GROUP BY a.school_code, a.academic_year;

CREATE VIEW student_year_attendance AS
WITH by_reason AS (
  SELECT student_pid, school_code, academic_year, coalesce(reason, 'other') AS reason, count(*) AS days
  FROM attendance_days
  WHERE status = 'absent'
  GROUP BY student_pid, school_code, academic_year, coalesce(reason, 'other')
),
absences AS (
  SELECT student_pid, school_code, academic_year, sum(days) AS absent_days, max(days) AS top_days,
         (array_agg(reason ORDER BY days DESC))[1] AS leader, array_agg(days) AS all_days
  FROM by_reason
  GROUP BY student_pid, school_code, academic_year
),
excused AS (
  SELECT student_pid, school_code, academic_year, count(*) AS excused_days
  FROM attendance_days
  WHERE status IN ('suspension', 'mourning', 'closure')
  GROUP BY student_pid, school_code, academic_year
)
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       coalesce(x.excused_days, 0) AS excused_days,
       d.school_days - coalesce(x.excused_days, 0) AS required_days,
       coalesce(a.absent_days, 0) AS absent_days,
       d.school_days - coalesce(x.excused_days, 0) - coalesce(a.absent_days, 0) AS attended_days,
       CASE WHEN a.absent_days IS NULL THEN NULL
            WHEN cardinality(ARRAY(SELECT 1 FROM unnest(a.all_days) AS n WHERE n = a.top_days)) > 1 THEN 'other'
            ELSE a.leader END AS main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN absences a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
LEFT JOIN excused x ON x.student_pid = e.student_pid AND x.school_code = e.school_code AND x.academic_year = e.academic_year;
