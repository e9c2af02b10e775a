-- The homerooms of one school in a school year, by title: the class page's choice for a school user.
SELECT homeroom_id, title FROM homerooms
WHERE school_code = $school AND academic_year = $academic_year
ORDER BY title, homeroom_id
