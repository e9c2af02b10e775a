-- The schools, years and dates the staged rows cover: what the load checks for rows to replace, and what
-- the derived tables refresh. From the combinations when no row was rejected (they then hold the loaded
-- rows only).
CREATE TABLE {{years}} AS
SELECT school_code, academic_year, min(first_day) AS first_day, max(last_day) AS last_day FROM {{combos}} GROUP BY ALL
