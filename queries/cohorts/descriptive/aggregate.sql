-- The descriptive table of a cohort: per group, period and up to two breakdowns (with their 'all'
-- totals), the number of enrolments and schools behind each row and every outcome's parts. Reads the
-- temporary relation cohort_rows (one row per student and period of the population). The output goes
-- through disclosure control before anyone sees it.
--   $b1, $b2 VARCHAR   breakdown: grade | sex | school_type | special_needs | school, or NULL for none
WITH r AS (
  SELECT grp, period, school_code, required_days, attended_days, absent_days, has_attendance, long_term_absent, score, app_minutes,
         CASE $b1 WHEN 'grade' THEN grade WHEN 'sex' THEN sex WHEN 'school_type' THEN school_type
                  WHEN 'special_needs' THEN CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END
                  WHEN 'school' THEN school_code ELSE 'all' END AS b1,
         CASE $b2 WHEN 'grade' THEN grade WHEN 'sex' THEN sex WHEN 'school_type' THEN school_type
                  WHEN 'special_needs' THEN CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END
                  WHEN 'school' THEN school_code ELSE 'all' END AS b2
  FROM cohort_rows
),
g AS (
  SELECT grp, period, b1, b2, GROUPING(b1) AS g1, GROUPING(b2) AS g2,
         count(*) AS students,
         count(DISTINCT school_code) AS schools,
         count(*) FILTER (WHERE has_attendance) AS attendance_students,
         sum(attended_days) FILTER (WHERE required_days > 0) AS attended_days,
         sum(required_days) FILTER (WHERE required_days > 0) AS required_days,
         avg(absent_days) AS absence_days,
         count(*) FILTER (WHERE long_term_absent) AS long_term_absent,
         count(score) AS assessed,
         avg(score) AS assessment_score,
         avg(app_minutes) AS app_minutes
  FROM r
  GROUP BY GROUPING SETS ((grp, period, b1, b2), (grp, period, b1), (grp, period, b2), (grp, period))
)
SELECT grp, period, CASE WHEN g1 = 1 THEN 'all' ELSE b1 END AS b1, CASE WHEN g2 = 1 THEN 'all' ELSE b2 END AS b2,
       students, schools, attendance_students,
       CASE WHEN required_days > 0 THEN attended_days / required_days END AS attendance_rate, attended_days, required_days,
       absence_days, long_term_absent, assessed, assessment_score, app_minutes
FROM g
WHERE (g1 = 0 OR $b1 IS NOT NULL) AND (g2 = 0 OR $b2 IS NOT NULL)
ORDER BY grp, period, g1 DESC, b1, g2 DESC, b2
