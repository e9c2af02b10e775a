-- The population per student and school year (time grain "year"): the rows that pass every inclusion
-- rule, in the shape descriptive/aggregate.sql and the sandbox read. Reads cohort_population.
SELECT grp, academic_year::VARCHAR AS period, school_code, school_type, grade, sex, special_needs,
       required_days, attended_days, absent_days, excused_days, has_attendance, long_term_absent, score, app_minutes
FROM cohort_population
WHERE rule_grade AND rule_school AND rule_student AND rule_prior
