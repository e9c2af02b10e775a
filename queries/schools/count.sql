-- How many schools schools/list.sql pages through for the same $1 (NULL = all, else a list of codes).
SELECT count(*)::INTEGER AS total
FROM schools s
WHERE $1::VARCHAR[] IS NULL OR list_contains($1::VARCHAR[], s.school_code)
