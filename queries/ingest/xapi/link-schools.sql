-- Stored statements of a known student without a school get the one school the student is enrolled at
-- that year (the lowest code if several: a transfer).
UPDATE main.learning_activity AS la SET school_code = e.school_code
FROM (SELECT student_pid, academic_year, min(school_code) AS school_code FROM ingest_staging.known_enrolments GROUP BY student_pid, academic_year) e
WHERE la.school_code IS NULL AND la.student_pid = e.student_pid AND la.academic_year = e.academic_year
