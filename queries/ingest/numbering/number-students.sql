-- Makes {{table}} (sid, student_pid) of the students {{pids}} (each once): sid is the student's number in
-- the warehouse (student_refs) or in this batch, or the next free one, then kept in new_student_refs for
-- the rest of the batch; a feed that stores student_ref writes them at load (write-new-refs.sql).
CREATE TABLE {{table}} AS
WITH known AS (SELECT student_ref, student_pid FROM ingest_staging.known_student_refs)
SELECT coalesce(k.student_ref,
                CAST((SELECT coalesce(max(student_ref), 0) FROM known) + row_number() OVER (PARTITION BY k.student_ref IS NULL ORDER BY p.student_pid) AS INTEGER)) AS sid,
       p.student_pid, k.student_ref IS NULL AS numbered_now
FROM {{pids}} p LEFT JOIN known k ON k.student_pid = p.student_pid;
INSERT INTO ingest_staging.new_student_refs SELECT sid, student_pid FROM {{table}} WHERE numbered_now;
