-- The schools in the warehouse, optionally limited to a list of codes ($1 NULL = all), a page of them:
-- $2 schools at most after skipping $3 (the API's limit and offset), in school-code order.
SELECT s.school_code, s.name, s.school_type, s.prefecture_code, s.municipality,
       (SELECT max(e.academic_year) FROM enrolments e WHERE e.school_code = s.school_code) AS latest_year
FROM schools s
WHERE $1::VARCHAR[] IS NULL OR list_contains($1::VARCHAR[], s.school_code)
ORDER BY s.school_code
LIMIT $2::BIGINT OFFSET $3::BIGINT
