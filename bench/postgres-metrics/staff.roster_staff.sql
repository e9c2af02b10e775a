-- queries/metrics/staff.roster_staff.sql in PostgreSQL. $1 = academic year, $2 = school codes (NULL = all).
SELECT school_code, role AS staff_role, sum(staff) AS value
FROM staff_counts
WHERE academic_year = $1
  AND ($2::text[] IS NULL OR school_code = ANY ($2::text[]))
GROUP BY 1, 2
ORDER BY 1, 2, 3
