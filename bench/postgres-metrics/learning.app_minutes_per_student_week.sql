-- queries/metrics/learning.app_minutes_per_student_week.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
WITH enrolled AS (
  SELECT school_code, count(*) AS students
  FROM enrolments
  WHERE academic_year = $1
    AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
  GROUP BY school_code
),
used AS (
  SELECT school_code, sum(duration_s) AS seconds
  FROM learning_activity
  WHERE academic_year = $1 AND student_pid IS NOT NULL
  GROUP BY school_code
)
SELECT e.school_code, coalesce(u.seconds, 0) / 60.0 / e.students / d.weeks AS value
FROM enrolled e
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = $1
LEFT JOIN used u ON u.school_code = e.school_code
ORDER BY 1, 2
