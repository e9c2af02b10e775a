SELECT count(*) FILTER (WHERE student_pid IS NULL) AS unresolved FROM {{resolved}}
