INSERT INTO main.school_days (school_code, day, academic_year, batch_id)
SELECT DISTINCT school_code, day, academic_year, $1 FROM {{rows}} WHERE NOT rejected
