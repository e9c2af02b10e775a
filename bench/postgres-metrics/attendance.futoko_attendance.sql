-- queries/metrics/attendance.futoko_attendance.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code, grade, coalesce(sex, 'unspecified') AS sex,
       CASE WHEN attended_days >= 11 THEN 'absent_90_attended_11_plus'
            WHEN attended_days >= 1 THEN 'absent_90_attended_1_10'
            ELSE 'absent_90_attended_0' END AS band,
       count(*) AS value
FROM student_year_attendance
WHERE academic_year = $1
  AND absent_days >= 90
  AND main_reason = 'non_attendance'
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4, 5
