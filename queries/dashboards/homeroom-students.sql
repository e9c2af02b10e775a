-- The students enrolled in some homerooms of one school in a school year (pseudonyms): a teacher's classes.
SELECT student_pid FROM enrolments
WHERE school_code = $school AND academic_year = $academic_year AND list_contains($homerooms::VARCHAR[], homeroom_id)
ORDER BY 1
