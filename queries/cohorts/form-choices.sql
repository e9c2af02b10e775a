-- What the cohort page offers to choose from, one row a choice: kind 'year' (a school year with enrolments),
-- 'programme' (programme_id and its name) or 'school' (school code, name and type: names are public).
SELECT 'year' AS kind, CAST(academic_year AS VARCHAR) AS value, NULL AS name, NULL AS school_type
FROM (SELECT DISTINCT academic_year FROM enrolments)
UNION ALL
SELECT 'programme', programme_id, name, NULL FROM programmes
UNION ALL
SELECT 'school', school_code, name, school_type FROM schools
ORDER BY kind, value
