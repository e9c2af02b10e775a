-- What this package adds, for the feeds staged after it in the same batch (attendance checks enrolments ...):
-- its schools ({{orgs}}: the orgs after it), students, identities and enrolments (its d_* tables).
INSERT OR IGNORE INTO ingest_staging.new_schools
SELECT DISTINCT school_code FROM {{orgs}} WHERE status = 'active' AND school_code IS NOT NULL;
INSERT OR IGNORE INTO ingest_staging.new_students SELECT student_pid FROM {{students}};
INSERT INTO ingest_staging.new_identities SELECT id_pid, student_pid FROM {{identities}};
INSERT INTO ingest_staging.new_enrolments SELECT student_pid, school_code, academic_year FROM {{enrolments}};
