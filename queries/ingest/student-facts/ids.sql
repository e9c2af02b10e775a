-- Each distinct student ID as read → the student's number (sid; NULL when it matches no student), and
-- whether it is blank or (for pre-pseudonymised input) not a pseudonym.
CREATE TABLE {{ids}} AS
SELECT r.raw, r.id IS NULL AS blank, s.sid, NOT regexp_full_match(r.id, '[0-9a-f]{64}') AS not_pseudonym
FROM {{read_ids}} r LEFT JOIN ingest_staging.pid_map m ON m.raw = r.id
LEFT JOIN ingest_staging.resolver res ON res.pid = m.pid LEFT JOIN {{students}} s ON s.student_pid = res.student_pid
