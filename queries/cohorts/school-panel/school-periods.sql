-- Per school and period (and group): the same figures as descriptive/aggregate.sql broken down by school, without
-- the totals, for the methods that work on a school-level panel (DiD, funnel plots). Reads cohort_rows.
SELECT grp, period, school_code AS b1, 'all' AS b2,
       count(*) AS students,
       1 AS schools,
       count(*) FILTER (WHERE has_attendance) AS attendance_students,
       CASE WHEN sum(required_days) FILTER (WHERE required_days > 0) > 0
            THEN sum(attended_days) FILTER (WHERE required_days > 0) / sum(required_days) FILTER (WHERE required_days > 0) END AS attendance_rate,
       sum(attended_days) FILTER (WHERE required_days > 0) AS attended_days,
       sum(required_days) FILTER (WHERE required_days > 0) AS required_days,
       avg(absent_days) AS absence_days,
       count(*) FILTER (WHERE long_term_absent) AS long_term_absent,
       count(score) AS assessed,
       avg(score) AS assessment_score,
       avg(app_minutes) AS app_minutes
FROM cohort_rows
GROUP BY grp, period, school_code
ORDER BY grp, period, school_code
