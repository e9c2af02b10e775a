-- queries/metrics/enrolment.class_forms.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code,
       CASE WHEN special_needs THEN 'special_needs' WHEN cardinality(grades) >= 2 THEN 'multi_grade' ELSE 'single_grade' END AS class_form,
       (SELECT min(g) FROM unnest(grades) AS g) AS grade,
       greatest(cardinality(grades), 1)::text AS span,
       count(*) AS value
FROM homerooms
WHERE academic_year = $1
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4, 5
