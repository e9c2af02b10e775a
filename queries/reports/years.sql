-- The academic years the warehouse holds enrolments for.
SELECT DISTINCT academic_year FROM enrolments ORDER BY academic_year
