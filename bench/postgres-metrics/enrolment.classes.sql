-- queries/metrics/enrolment.classes.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
-- list_min(grades) → the least element of the text[] (the database is created with the C collation, as DuckDB compares).
SELECT school_code, (SELECT min(g) FROM unnest(grades) AS g) AS grade,
       CASE WHEN special_needs THEN 'special_needs' ELSE 'ordinary' END AS kind,
       count(*) AS value
FROM homerooms
WHERE academic_year = $1
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3, 4
