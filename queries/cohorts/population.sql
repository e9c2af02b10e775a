-- The cohort's population: one row per enrolment (student × school × school year) in the asked years,
-- with a flag per inclusion rule (the attrition table counts the students left after each) and the
-- per-student outcomes of that year. Every value comes in as a bound parameter; an empty list or a
-- NULL means "no restriction". Read by the cohort service into a temporary table.
--   $years LIST(INTEGER)            academic years of enrolment
--   $grades LIST(VARCHAR)           grades ([] = all)
--   $school_types, $school_codes    LIST(VARCHAR) ([] = all)
--   $programme VARCHAR, $participating BOOLEAN   schools in (or not in) a programme in that year (NULL = no rule)
--   $sexes LIST(VARCHAR), $special_needs BOOLEAN, $lta_prior BOOLEAN
--   $group_by VARCHAR (none | programme | sex | special_needs | school_type), $group_programme VARCHAR
--   $subjects LIST(VARCHAR)         assessment subjects ([] = all)
--   $need_scores, $need_app BOOLEAN  which outcome sources the analysis reads (the
--                                   others are not joined: a prefecture's cohort stays well under a second)
-- A student is keyed by hash(pseudonym) (64 bits): cheaper to count and join than the 64-hex text,
-- and never leaves the warehouse.
-- Enrolments with their year record of 出欠 come from student_year_attendance (one row per enrolment at
-- a school with school days); enrolments at a school-year with no school days at all come from
-- enrolments, without attendance.
WITH without_days AS MATERIALIZED (
  -- Rare: enrolments of a school-year with no school days (found first, so students is joined to few rows).
  SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.special_needs
  FROM enrolments e
  WHERE list_contains($years, e.academic_year)
    AND NOT EXISTS (SELECT 1 FROM school_year_days d WHERE d.school_code = e.school_code AND d.academic_year = e.academic_year)
),
records AS (
  SELECT y.academic_year, y.school_code, y.student_pid, y.grade, y.special_needs, y.sex,
         y.required_days, y.attended_days, y.absent_days, y.excused_days
  FROM student_year_attendance y
  WHERE list_contains($years, y.academic_year)
  UNION ALL
  SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.special_needs, s.sex, NULL, NULL, NULL, NULL
  FROM without_days e
  JOIN students s ON s.student_pid = e.student_pid
),
enrolled AS (
  SELECT r.*, sc.school_type FROM records r JOIN schools sc ON sc.school_code = r.school_code
),
-- A school takes part in a programme in a school year when a participation period overlaps it.
participation AS (
  SELECT DISTINCT p.programme_id, p.school_code, y.academic_year
  FROM programme_participation p
  JOIN (SELECT unnest($years) AS academic_year) y
    ON p.start_date <= make_date(y.academic_year + 1, 3, 31)
   AND (p.end_date IS NULL OR p.end_date >= make_date(y.academic_year, 4, 1))
  WHERE p.programme_id IN ($programme, $group_programme)
),
-- 長期欠席 the year before: 30 or more absence days summed over the schools of that year.
prior AS (
  SELECT student_pid, academic_year + 1 AS academic_year, sum(absent_days) >= 30 AS long_term_absent
  FROM student_year_attendance
  WHERE $lta_prior IS NOT NULL AND list_contains($years, academic_year + 1)
  GROUP BY ALL
),

scores AS (
  SELECT student_pid, school_code, academic_year, avg(score * 100.0 / max_score) AS score
  FROM assessment_results
  WHERE $need_scores AND list_contains($years, academic_year) AND (len($subjects) = 0 OR list_contains($subjects, subject)) AND max_score > 0
  GROUP BY ALL
),
app AS (
  SELECT student_pid, school_code, academic_year, sum(duration_s) / 60.0 AS minutes
  FROM learning_activity
  WHERE $need_app AND list_contains($years, academic_year) AND student_pid IS NOT NULL
  GROUP BY ALL
)
SELECT e.academic_year, e.school_code, e.school_type, hash(e.student_pid) AS student_key, e.grade, e.special_needs, e.sex,
       CASE $group_by
         WHEN 'programme' THEN CASE WHEN e.school_code IN (SELECT school_code FROM participation WHERE programme_id = $group_programme) THEN 'programme' ELSE 'comparison' END
         WHEN 'sex' THEN e.sex
         WHEN 'special_needs' THEN CASE WHEN e.special_needs THEN 'special_needs' ELSE 'ordinary' END
         WHEN 'school_type' THEN e.school_type
         ELSE 'all'
       END AS grp,
       (len($grades) = 0 OR list_contains($grades, e.grade)) AS rule_grade,
       ((len($school_types) = 0 OR list_contains($school_types, e.school_type))
         AND (len($school_codes) = 0 OR e.school_code IN (SELECT unnest($school_codes)))
         AND ($programme IS NULL OR $participating = EXISTS (
               SELECT 1 FROM participation q WHERE q.programme_id = $programme AND q.school_code = e.school_code AND q.academic_year = e.academic_year))) AS rule_school,
       ((len($sexes) = 0 OR list_contains($sexes, e.sex))
         AND ($special_needs IS NULL OR e.special_needs = $special_needs)) AS rule_student,
       ($lta_prior IS NULL OR pr.long_term_absent = $lta_prior) AS rule_prior,
       e.required_days IS NOT NULL AS has_attendance,
       e.required_days, e.attended_days, e.absent_days, e.excused_days,
       e.absent_days >= 30 AS long_term_absent,
       sc.score,
       coalesce(a.minutes, 0) AS app_minutes
FROM enrolled e
LEFT JOIN prior pr ON pr.student_pid = e.student_pid AND pr.academic_year = e.academic_year
LEFT JOIN scores sc ON sc.student_pid = e.student_pid AND sc.school_code = e.school_code AND sc.academic_year = e.academic_year
LEFT JOIN app a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
