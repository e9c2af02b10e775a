-- A newer row for the same student and day replaces the older one (another batch's).
DELETE FROM main.attendance_records a
USING (SELECT DISTINCT student_ref, day FROM main.attendance_records WHERE batch_ref = $1::INTEGER) n
WHERE a.student_ref = n.student_ref AND a.day = n.day AND a.batch_ref IS DISTINCT FROM $1::INTEGER
