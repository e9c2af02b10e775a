-- Stores a refreshed watch list: temp.watch_new holds what the indicators found for the schools in
-- $schools as of $as_of; a flag that the school's stored list already held keeps its first_flagged_on.
-- Statements run in order, in one transaction.
CREATE OR REPLACE TEMP TABLE watch_kept AS
SELECT n.school_code, n.student_pid, n.indicator_id, n.value, n.since,
       coalesce(CASE WHEN o.first_flagged_on <= $as_of THEN o.first_flagged_on END, $as_of) AS first_flagged_on
FROM temp.watch_new n
LEFT JOIN main.watch_flags o ON o.school_code = n.school_code AND o.student_pid = n.student_pid AND o.indicator_id = n.indicator_id;

DELETE FROM main.watch_flags WHERE list_contains($schools::VARCHAR[], school_code);

INSERT INTO main.watch_flags SELECT * FROM temp.watch_kept;

INSERT OR REPLACE INTO main.watch_refreshes
SELECT unnest($schools::VARCHAR[]), $as_of, now(), $thresholds;

DROP TABLE temp.watch_kept;

DROP TABLE temp.watch_new
