-- The population per student and month (time grain "month"): attendance from the daily rows, the
-- month's school days from the calendar (or, for a school that sent none, the dates in its rows), and
-- learning-app minutes by the month of the statement (Japan time). Reads cohort_population.
WITH pop AS (
  SELECT academic_year, school_code, school_type, student_key, grade, special_needs, sex, grp
  FROM cohort_population WHERE rule_grade AND rule_school AND rule_student AND rule_prior
),
school_years AS (SELECT DISTINCT school_code, academic_year FROM pop),
-- The daily rows carry the school's number (school_refs).
school_year_refs AS (SELECT y.school_code, r.school_ref, y.academic_year FROM school_years y JOIN school_refs r ON r.school_code = y.school_code),
calendar AS (
  SELECT d.school_code, d.academic_year, date_trunc('month', d.day) AS month, count(*) AS school_days
  FROM school_days d SEMI JOIN school_years s ON s.school_code = d.school_code AND s.academic_year = d.academic_year
  GROUP BY ALL
  UNION ALL
  SELECT s.school_code, a.academic_year, date_trunc('month', a.day), count(DISTINCT a.day)
  FROM attendance_records a
  JOIN school_year_refs s ON s.school_ref = a.school_ref AND s.academic_year = a.academic_year
  JOIN school_year_days y ON y.school_code = s.school_code AND y.academic_year = a.academic_year AND NOT y.from_calendar
  GROUP BY ALL
),
daily AS (
  -- Counted per student and school number (student_refs, school_refs); the student's key is computed on the counts.
  SELECT hash(r.student_pid) AS student_key, sr.school_code, d.month, d.absent_days, d.excused_days
  FROM (
    SELECT a.student_ref, a.school_ref, date_trunc('month', a.day) AS month,
           count(*) FILTER (WHERE a.status = 'absent') AS absent_days,
           count(*) FILTER (WHERE a.status IN ('suspension', 'mourning', 'closure')) AS excused_days
    FROM attendance_records a SEMI JOIN school_year_refs s ON s.school_ref = a.school_ref AND s.academic_year = a.academic_year
    GROUP BY ALL
  ) d JOIN student_refs r ON r.student_ref = d.student_ref JOIN school_refs sr ON sr.school_ref = d.school_ref
),
app AS (
  SELECT hash(l.student_pid) AS student_key, l.school_code, date_trunc('month', timezone('Asia/Tokyo', l.ts))::DATE AS month, sum(l.duration_s) / 60.0 AS minutes
  FROM learning_activity l SEMI JOIN school_years s ON s.school_code = l.school_code AND s.academic_year = l.academic_year
  WHERE l.student_pid IS NOT NULL
  GROUP BY ALL
)
SELECT p.grp, strftime(c.month, '%Y-%m') AS period, p.school_code, p.school_type, p.grade, p.sex, p.special_needs,
       c.school_days - coalesce(d.excused_days, 0) AS required_days,
       c.school_days - coalesce(d.excused_days, 0) - coalesce(d.absent_days, 0) AS attended_days,
       coalesce(d.absent_days, 0) AS absent_days,
       true AS has_attendance,
       false AS long_term_absent,
       NULL::DOUBLE AS score,
       coalesce(a.minutes, 0) AS app_minutes
FROM pop p
JOIN calendar c ON c.school_code = p.school_code AND c.academic_year = p.academic_year
LEFT JOIN daily d ON d.student_key = p.student_key AND d.school_code = p.school_code AND d.month = c.month
LEFT JOIN app a ON a.student_key = p.student_key AND a.school_code = p.school_code AND a.month = c.month
