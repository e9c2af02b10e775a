-- queries/metrics/enrolment.special_needs_classes.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code, coalesce(disability_type, 'unspecified') AS disability, count(*) AS value
FROM homerooms
WHERE academic_year = $1
  AND special_needs
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2
ORDER BY 1, 2, 3
