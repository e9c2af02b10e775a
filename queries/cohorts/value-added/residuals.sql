-- Value-added (Leckie & Goldstein): each student's score in $year (mean over subjects of score in
-- percent) against what their prior-year score in the same subject predicts, the prediction fitted per
-- subject and grade over the whole population by least squares. One residual per student (the mean
-- over their subjects); per school: students, mean residual and the within-school sum of squares, for
-- the empirical-Bayes shrinkage done in code. Reads cohort_population.
--   $year INTEGER, $subjects LIST(VARCHAR) ([] = all)
WITH pop AS (
  SELECT student_key, school_code, grade FROM cohort_population
  WHERE academic_year = $year AND rule_grade AND rule_school AND rule_student AND rule_prior
),
cur AS (
  SELECT p.student_key, p.school_code, p.grade, r.subject, avg(r.score * 100.0 / r.max_score) AS score
  FROM assessment_results r JOIN pop p ON p.student_key = hash(r.student_pid) AND p.school_code = r.school_code
  WHERE r.academic_year = $year AND r.max_score > 0 AND (len($subjects) = 0 OR list_contains($subjects, r.subject))
  GROUP BY ALL
),
prior AS (
  SELECT hash(student_pid) AS student_key, subject, avg(score * 100.0 / max_score) AS prior
  FROM assessment_results
  WHERE academic_year = $year - 1 AND max_score > 0 AND (len($subjects) = 0 OR list_contains($subjects, subject))
  GROUP BY ALL
),
pairs AS (
  SELECT c.student_key, c.school_code, c.subject, c.grade, c.score, p.prior
  FROM cur c JOIN prior p ON p.student_key = c.student_key AND p.subject = c.subject
),
fitted AS (
  SELECT student_key, school_code,
         score - (regr_intercept(score, prior) OVER w + regr_slope(score, prior) OVER w * prior) AS residual
  FROM pairs
  WINDOW w AS (PARTITION BY subject, grade)
),
per_student AS (
  SELECT student_key, school_code, avg(residual) AS residual FROM fitted WHERE residual IS NOT NULL GROUP BY ALL
)
SELECT school_code, count(*) AS students, avg(residual) AS mean_residual,
       coalesce(var_samp(residual) * (count(*) - 1), 0) AS within_ss
FROM per_student
GROUP BY school_code
ORDER BY school_code
