-- Views the metric catalogue (queries/metrics) stands on: the per-student, per-year record of
-- 指導要録 (出欠の記録) computed from daily rows, so survey items are asked at the grain they are
-- defined at (DOMAIN.md: Attendance).

-- 授業日数: a school's days in a school year, from its calendar; where it sent none, the distinct
-- dates seen in its attendance rows. Weeks are Monday-based weeks holding at least one school day.
CREATE VIEW school_year_days AS
SELECT school_code, academic_year, count(*) AS school_days, count(DISTINCT date_trunc('week', day)) AS weeks
FROM school_days
GROUP BY ALL
UNION ALL
SELECT a.school_code, a.academic_year, count(DISTINCT a.day), count(DISTINCT date_trunc('week', a.day))
FROM attendance_days a
WHERE NOT EXISTS (SELECT 1 FROM school_days d WHERE d.school_code = a.school_code AND d.academic_year = a.academic_year)
GROUP BY ALL;

-- One row per enrolled student, school and year:
--   excused_days  出席停止・忌引等 (suspension, mourning, closure: not absences)
--   required_days 出席しなければならない日数 = school days − excused days
--   absent_days   欠席日数; attended_days = required − absent (late, early leave and 指導要録上出席扱い count as attended)
--   main_reason   for a student with absences: the reason with the most absence days, an empty reason
--                 counting as other, a tie → other
CREATE VIEW student_year_attendance AS
WITH by_reason AS (
  SELECT student_pid, school_code, academic_year, coalesce(reason, 'other') AS reason, count(*) AS days
  FROM attendance_days
  WHERE status = 'absent'
  GROUP BY ALL
),
absences AS (
  SELECT student_pid, school_code, academic_year, sum(days) AS absent_days, max(days) AS top_days,
         arg_max(reason, days) AS leader, list(days) AS all_days
  FROM by_reason
  GROUP BY ALL
),
excused AS (
  SELECT student_pid, school_code, academic_year, count(*) AS excused_days
  FROM attendance_days
  WHERE status IN ('suspension', 'mourning', 'closure')
  GROUP BY ALL
)
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       coalesce(x.excused_days, 0) AS excused_days,
       d.school_days - coalesce(x.excused_days, 0) AS required_days,
       coalesce(a.absent_days, 0) AS absent_days,
       d.school_days - coalesce(x.excused_days, 0) - coalesce(a.absent_days, 0) AS attended_days,
       CASE WHEN a.absent_days IS NULL THEN NULL
            WHEN len(list_filter(a.all_days, n -> n = a.top_days)) > 1 THEN 'other'
            ELSE a.leader END AS main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN absences a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
LEFT JOIN excused x ON x.student_pid = e.student_pid AND x.school_code = e.school_code AND x.academic_year = e.academic_year;
