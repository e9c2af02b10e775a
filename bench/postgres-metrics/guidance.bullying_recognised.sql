-- queries/metrics/guidance.bullying_recognised.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
WITH cases AS (
  SELECT g.school_code, g.student_pid, g.recorded_on, min(e.grade) AS grade, min(g.discovered_by) AS discovered_by,
         bool_and(g.resolved) AS resolved, coalesce(bool_or(g.serious), false) AS serious
  FROM guidance_records g
  JOIN enrolments e ON e.student_pid = g.student_pid AND e.school_code = g.school_code AND e.academic_year = g.academic_year
  WHERE g.academic_year = $1
    AND g.category = 'bullying'
    AND ($2::text[] IS NULL OR g.school_code = ANY ($2::text[]))
  GROUP BY g.school_code, g.student_pid, g.recorded_on
)
SELECT school_code, grade,
       CASE WHEN discovered_by IN ('homeroom_teacher', 'other_staff', 'school_nurse', 'counsellor', 'survey', 'self_report',
                                   'parent', 'peer', 'other_parent', 'community', 'agency', 'other')
            THEN discovered_by ELSE 'unrecorded' END AS found_by,
       CASE WHEN resolved THEN 'resolved' WHEN NOT resolved THEN 'in_progress' ELSE 'unrecorded' END AS resolution,
       serious::text AS serious,
       count(*) AS value
FROM cases
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5, 6
