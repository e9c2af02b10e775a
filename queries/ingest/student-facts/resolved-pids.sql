(SELECT DISTINCT res.student_pid FROM {{read_ids}} r JOIN ingest_staging.pid_map m ON m.raw = r.id
 JOIN ingest_staging.resolver res ON res.pid = m.pid)
