-- The 年度 ({{into}}, d_years) of the derived enrolments and homerooms and of this package's schoolYear sessions
-- ({{session_years}}), with their dates from the schoolYear sessions after this package ({{sessions}}), else
-- April 1 to March 31.
CREATE TABLE {{into}} AS
WITH sy AS (SELECT academic_year, min(start_date) AS start_date, max(end_date) AS end_date FROM {{sessions}}
            WHERE status = 'active' AND type = 'schoolYear' AND academic_year IS NOT NULL GROUP BY academic_year),
years AS (SELECT academic_year FROM {{enrolments}} UNION SELECT academic_year FROM {{homerooms}}
          UNION SELECT academic_year FROM {{session_years}})
SELECT y.academic_year, ingest_staging.oneroster_year_title(y.academic_year) AS title,
       coalesce(sy.start_date, make_date(y.academic_year, 4, 1)) AS start_date, coalesce(sy.end_date, make_date(y.academic_year + 1, 3, 31)) AS end_date,
       sy.academic_year IS NOT NULL AS from_session
FROM years y LEFT JOIN sy ON sy.academic_year = y.academic_year
