-- queries/metrics/guidance.violence_incidents.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code,
       CASE WHEN type_code IN ('teacher_in', 'teacher_out', 'student_in', 'student_out', 'person_in', 'person_out', 'property_in', 'property_out')
            THEN split_part(type_code, '_', 1) ELSE 'unrecorded' END AS violence_form,
       CASE WHEN type_code IN ('teacher_in', 'student_in', 'person_in', 'property_in') THEN 'in_school'
            WHEN type_code IN ('teacher_out', 'student_out', 'person_out', 'property_out') THEN 'outside_school'
            ELSE 'unrecorded' END AS place,
       count(*) AS value
FROM guidance_records
WHERE academic_year = $1
  AND category = 'violence'
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3, 4
