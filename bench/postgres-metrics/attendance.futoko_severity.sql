-- queries/metrics/attendance.futoko_severity.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
WITH futoko AS (
  SELECT school_code, absent_days, attended_days
  FROM student_year_attendance
  WHERE academic_year = $1
    AND absent_days >= 30
    AND main_reason = 'non_attendance'
    AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
)
SELECT school_code, band, value FROM (
  SELECT school_code, 'absent_90_plus'::text AS band, count(*) AS value FROM futoko WHERE absent_days >= 90 GROUP BY school_code
  UNION ALL
  SELECT school_code, 'attended_10_or_less', count(*) FROM futoko WHERE attended_days <= 10 GROUP BY school_code
  UNION ALL
  SELECT school_code, 'attended_0', count(*) FROM futoko WHERE attended_days = 0 GROUP BY school_code
) AS bands
ORDER BY 1, 2, 3
