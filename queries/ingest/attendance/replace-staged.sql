-- A newer row for the same student and day replaces the older one (a join over every staged row; skipped
-- on the usual first load of a year).
DELETE FROM main.attendance_records a USING (SELECT DISTINCT sid, day FROM {{rows}} WHERE NOT rejected) n
WHERE a.student_ref = n.sid AND a.day = n.day
