-- What each school does: the programmes it takes part in during school year $year (for the profile
-- of a school flagged as good practice). Programme names are public, not personal data.
--   $year INTEGER, $schools LIST(VARCHAR)
SELECT p.school_code, list(DISTINCT g.name ORDER BY g.name) AS programmes
FROM programme_participation p
JOIN programmes g ON g.programme_id = p.programme_id
WHERE p.school_code IN (SELECT unnest($schools))
  AND p.start_date <= make_date($year + 1, 3, 31) AND (p.end_date IS NULL OR p.end_date >= make_date($year, 4, 1))
GROUP BY p.school_code
ORDER BY p.school_code
