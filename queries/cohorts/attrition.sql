-- Attrition: distinct students (and schools) left after each inclusion rule, in the order the rules
-- apply, and with data for the outcomes. One pass: each row gets the stage it reaches (the rules it
-- passes in order); a student or school counts at a step when any of its rows reaches it.
-- Reads cohort_population.
WITH r AS (
  SELECT student_key, school_code,
         CASE WHEN NOT rule_grade THEN 1 WHEN NOT rule_school THEN 2 WHEN NOT rule_student THEN 3 WHEN NOT rule_prior THEN 4 ELSE 5 END AS stage,
         has_attendance, score IS NOT NULL AS has_score
  FROM cohort_population
),
per_student AS (
  SELECT max(stage) AS stage, bool_or(stage = 5 AND has_attendance) AS att, bool_or(stage = 5 AND has_score) AS sc FROM r GROUP BY student_key
),
per_school AS (
  SELECT max(stage) AS stage, bool_or(stage = 5 AND has_attendance) AS att, bool_or(stage = 5 AND has_score) AS sc FROM r GROUP BY school_code
),
students AS (
  SELECT count(*) AS enrolled, count(*) FILTER (WHERE stage >= 2) AS grade, count(*) FILTER (WHERE stage >= 3) AS school,
         count(*) FILTER (WHERE stage >= 4) AS student, count(*) FILTER (WHERE stage >= 5) AS prior,
         count(*) FILTER (WHERE att) AS with_attendance, count(*) FILTER (WHERE sc) AS with_score
  FROM per_student
),
schools AS (
  SELECT count(*) AS enrolled_schools, count(*) FILTER (WHERE stage >= 2) AS grade_schools, count(*) FILTER (WHERE stage >= 3) AS school_schools,
         count(*) FILTER (WHERE stage >= 4) AS student_schools, count(*) FILTER (WHERE stage >= 5) AS prior_schools,
         count(*) FILTER (WHERE att) AS with_attendance_schools, count(*) FILTER (WHERE sc) AS with_score_schools
  FROM per_school
)
SELECT * FROM students, schools
