-- Support cases (見守りケース) as a per-student intervention: for each student of the population with a case
-- opened (the case's school and school year are an enrolment of the population that passes every rule), the
-- student's attendance in each month from $window months before the month the case was opened to $window
-- after, one row per student and month the student was enrolled. Reads cohort_population.
-- The case openings come from the control plane, bound for this run only (never stored in the warehouse):
--   $students LIST(VARCHAR)   the students' pseudonyms (as in enrolments; no name, no raw ID)
--   $schools LIST(VARCHAR)    the school of each case
--   $case_years LIST(INTEGER) the school year of each case
--   $opened LIST(VARCHAR)     the day each case was opened (YYYY-MM-DD, Japan time)
--   $window INTEGER           months before and after the opening month
-- No note, no responsible person, no case id: the lists are aligned by position and nothing else comes in.
-- A student with several cases counts from the first opening. A month's school days are the school's
-- calendar (or, for a school that sent none, the dates in its daily rows) minus the student's excused days.
-- Output: student_key (hash of the pseudonym, never published), school_code, relative_month, required_days,
-- absent_days.
WITH bound AS (
  SELECT unnest($students) AS student_pid, unnest($schools) AS school_code, unnest($case_years) AS academic_year,
         unnest($opened) AS opened_on
),
openings AS (
  SELECT b.student_pid, hash(b.student_pid) AS student_key, date_trunc('month', min(CAST(b.opened_on AS DATE)))::DATE AS opened_month
  FROM bound b
  WHERE EXISTS (
    SELECT 1 FROM cohort_population p
    WHERE p.student_key = hash(b.student_pid) AND p.school_code = b.school_code AND p.academic_year = b.academic_year
      AND p.rule_grade AND p.rule_school AND p.rule_student AND p.rule_prior)
  GROUP BY ALL
),
months AS (
  SELECT o.student_pid, o.student_key, k AS relative_month, (o.opened_month + to_months(k))::DATE AS month
  FROM openings o, range(-$window, $window + 1) r(k)
),
-- The school a student was enrolled at in each month's school year (April to March).
enrolled AS (
  SELECT m.*, e.school_code, e.academic_year
  FROM months m
  JOIN enrolments e ON e.student_pid = m.student_pid
   AND e.academic_year = year(m.month) - CASE WHEN month(m.month) < 4 THEN 1 ELSE 0 END
),
school_months AS (SELECT DISTINCT school_code, academic_year, month FROM enrolled),
calendar AS (
  SELECT d.school_code, date_trunc('month', d.day)::DATE AS month, count(*) AS school_days
  FROM school_days d SEMI JOIN school_months s ON s.school_code = d.school_code AND s.month = date_trunc('month', d.day)
  GROUP BY ALL
  UNION ALL
  SELECT s.school_code, s.month, count(DISTINCT a.day)
  FROM school_months s
  JOIN school_year_days y ON y.school_code = s.school_code AND y.academic_year = s.academic_year AND NOT y.from_calendar
  JOIN school_refs sr ON sr.school_code = s.school_code
  JOIN attendance_records a ON a.school_ref = sr.school_ref AND date_trunc('month', a.day) = s.month
  GROUP BY ALL
),
refs AS (SELECT r.student_ref, o.student_key FROM student_refs r JOIN openings o ON o.student_pid = r.student_pid),
daily AS (
  SELECT f.student_key, sr.school_code, date_trunc('month', a.day)::DATE AS month,
         count(*) FILTER (WHERE a.status = 'absent') AS absent_days,
         count(*) FILTER (WHERE a.status IN ('suspension', 'mourning', 'closure')) AS excused_days
  FROM attendance_records a JOIN refs f ON f.student_ref = a.student_ref JOIN school_refs sr ON sr.school_ref = a.school_ref
  GROUP BY ALL
)
SELECT e.student_key, e.school_code, e.relative_month,
       c.school_days - coalesce(d.excused_days, 0) AS required_days,
       coalesce(d.absent_days, 0) AS absent_days
FROM enrolled e
JOIN calendar c ON c.school_code = e.school_code AND c.month = e.month
LEFT JOIN daily d ON d.student_key = e.student_key AND d.school_code = e.school_code AND d.month = e.month
WHERE c.school_days - coalesce(d.excused_days, 0) > 0
ORDER BY e.student_key, e.relative_month
