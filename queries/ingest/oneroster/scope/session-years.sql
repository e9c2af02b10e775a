-- The 年度 of a package's sessions ({{sessions}}), and whether the session is a schoolYear.
(SELECT DISTINCT academic_year, type = 'schoolYear' AS school_year FROM {{sessions}}
 WHERE NOT rejected AND NOT deleting AND academic_year IS NOT NULL)
