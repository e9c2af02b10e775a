-- The school years a direct load wrote, with their first and last day (the derived tables refresh them).
CREATE TABLE {{years}} AS
SELECT school_code, school_ref, academic_year, min(first_day) AS first_day, max(last_day) AS last_day FROM {{combos}} GROUP BY ALL
