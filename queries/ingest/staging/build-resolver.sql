-- Person ID (any of a student's IDs, pseudonymised) → the student's pseudonym, from the warehouse and
-- from this batch's rosters. Rebuilt after the rosters are staged.
CREATE OR REPLACE TABLE ingest_staging.resolver AS
SELECT pid, arg_min(student_pid, priority) AS student_pid FROM (
  SELECT student_pid AS pid, student_pid, 0 AS priority FROM main.students
  UNION ALL SELECT student_pid, student_pid, 0 FROM ingest_staging.new_students
  UNION ALL SELECT id_pid, student_pid, 1 FROM ingest_staging.new_identities
  UNION ALL SELECT id_pid, student_pid, 2 FROM main.student_identities
) GROUP BY pid
