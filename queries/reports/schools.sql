-- Schools a report can be about (names are public): every school, or one by $school (NULL = all).
SELECT school_code, name, school_type FROM schools
WHERE $school IS NULL OR school_code = $school
ORDER BY school_code
