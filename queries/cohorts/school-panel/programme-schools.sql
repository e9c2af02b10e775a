-- A programme's schools: the school year each first took part (the academic year of its earliest
-- start date, 年度 from April) and the years of $years in which a participation period overlaps it.
--   $programme VARCHAR, $years LIST(INTEGER)
WITH y AS (SELECT unnest($years) AS academic_year)
SELECT p.school_code,
       min(year(p.start_date) - CASE WHEN month(p.start_date) < 4 THEN 1 ELSE 0 END) AS first_year,
       coalesce(list(DISTINCT y.academic_year ORDER BY y.academic_year) FILTER (WHERE y.academic_year IS NOT NULL), []) AS years
FROM programme_participation p
LEFT JOIN y ON p.start_date <= make_date(y.academic_year + 1, 3, 31) AND (p.end_date IS NULL OR p.end_date >= make_date(y.academic_year, 4, 1))
WHERE p.programme_id = $programme
GROUP BY p.school_code
ORDER BY p.school_code
