-- Each ID as read → the student (NULL: it matches no student, and the direct load steps aside).
CREATE TABLE {{resolved}} AS
SELECT r.raw, res.student_pid FROM {{read_ids}} r
LEFT JOIN ingest_staging.pid_map m ON m.raw = r.id LEFT JOIN ingest_staging.resolver res ON res.pid = coalesce(r.pid, m.pid)
