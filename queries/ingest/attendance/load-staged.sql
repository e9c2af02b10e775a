-- The staged rows that load: the staged student number is the student's student_ref; the school is
-- stored as its number.
INSERT INTO main.attendance_records (student_ref, school_ref, day, academic_year, status, reason, batch_ref, place)
SELECT f.sid, s.school_ref, f.day, f.academic_year, f.status, f.reason, $1::INTEGER, f.place
FROM {{rows}} f JOIN ingest_staging.known_school_refs s ON s.school_code = f.school_code WHERE NOT f.rejected
