-- What the batch report says about an xAPI file ({{table}}), beyond rows read, loaded and rejected.
SELECT count(*) FILTER (WHERE skip = 'file') AS in_file,
       count(*) FILTER (WHERE skip = 'batch') AS in_batch,
       count(*) FILTER (WHERE skip = 'warehouse') AS in_warehouse,
       count(*) FILTER (WHERE NOT rejected AND skip IS NULL AND student_pid IS NULL) AS unlinked_statements,
       count(DISTINCT actor_pid) FILTER (WHERE NOT rejected AND skip IS NULL AND student_pid IS NULL) AS unlinked_actors
FROM {{table}}
