-- Per homeroom of the rows of attendance-as-of (bound as student_year_attendance): enrolled students, school
-- days so far, absence days, and students with at least $min_days absence days. '' = no homeroom.
SELECT coalesce(y.homeroom_id, '') AS homeroom_id, any_value(h.title) AS title, any_value(h.grades) AS grades,
       CAST(count(*) AS INTEGER) AS students, CAST(max(y.school_days) AS INTEGER) AS school_days,
       CAST(sum(y.absent_days) AS INTEGER) AS absent_days,
       CAST(count(*) FILTER (WHERE y.absent_days >= $min_days) AS INTEGER) AS students_over
FROM student_year_attendance y
LEFT JOIN homerooms h ON h.homeroom_id = y.homeroom_id AND h.academic_year = y.academic_year
GROUP BY ALL
ORDER BY title NULLS LAST, homeroom_id
