-- A package without users.csv replaces no student's identities: {{identity_students}} and {{into}} (as
-- identities.sql makes them) are empty.
CREATE TABLE {{identity_students}} (student_pid VARCHAR);
CREATE TABLE {{into}} (id_type VARCHAR, id_pid VARCHAR, student_pid VARCHAR);
