-- The cases behind guidance.bullying_recognised for one school and year: a row per case (student and date).
WITH cases AS (
  SELECT student_pid, recorded_on, any_value(grade) AS grade, min(discovered_by) AS discovered_by, bool_and(resolved) AS resolved,
         coalesce(bool_or(serious), false) AS serious, string_agg(type_code, ',' ORDER BY type_code) AS types
  FROM guidance_records
  WHERE academic_year = $academic_year AND school_code = $school AND category = 'bullying' AND enrolled
  GROUP BY student_pid, recorded_on
)
SELECT left(c.student_pid, 10) AS student, c.grade, coalesce(h.title, '(学級なし)') AS homeroom, c.recorded_on, c.types,
       CASE WHEN c.discovered_by IN ('homeroom_teacher', 'other_staff', 'school_nurse', 'counsellor', 'survey', 'self_report',
                                     'parent', 'peer', 'other_parent', 'community', 'agency', 'other')
            THEN c.discovered_by ELSE 'unrecorded' END AS found_by,
       CASE WHEN c.resolved THEN 'resolved' WHEN NOT c.resolved THEN 'in_progress' ELSE 'unrecorded' END AS resolution,
       CAST(c.serious AS VARCHAR) AS serious
FROM cases c
LEFT JOIN enrolments e ON e.student_pid = c.student_pid AND e.school_code = $school AND e.academic_year = $academic_year
LEFT JOIN homerooms h ON h.homeroom_id = e.homeroom_id AND h.academic_year = e.academic_year
ORDER BY c.grade, homeroom, c.recorded_on, student
