-- Stores a refreshed watch list: temp.watch_new holds what the indicators found for the schools in
-- $schools as of $as_of; a flag that the school's stored list already held keeps its first_flagged_on.
-- Stored by difference: only the rows that went or changed are deleted, only the new or changed ones inserted
-- (a day's refresh changes a few rows of a list; rewriting every row costs the table's key index most).
-- Statements run in order, in one transaction.
CREATE OR REPLACE TEMP TABLE watch_kept AS
SELECT n.school_code, n.student_pid, n.indicator_id, n.value, n.since,
       coalesce(CASE WHEN o.first_flagged_on <= $as_of THEN o.first_flagged_on END, $as_of) AS first_flagged_on
FROM temp.watch_new n
LEFT JOIN main.watch_flags o ON o.school_code = n.school_code AND o.student_pid = n.student_pid AND o.indicator_id = n.indicator_id;

DELETE FROM main.watch_flags o
WHERE o.school_code IN (SELECT unnest($schools::VARCHAR[]))
  AND NOT EXISTS (
    SELECT 1 FROM temp.watch_kept k
    WHERE k.school_code = o.school_code AND k.student_pid = o.student_pid AND k.indicator_id = o.indicator_id
      AND k.value IS NOT DISTINCT FROM o.value AND k.since IS NOT DISTINCT FROM o.since
      AND k.first_flagged_on = o.first_flagged_on
  );

INSERT INTO main.watch_flags
SELECT k.* FROM temp.watch_kept k
ANTI JOIN main.watch_flags o ON o.school_code = k.school_code AND o.student_pid = k.student_pid AND o.indicator_id = k.indicator_id;

INSERT OR REPLACE INTO main.watch_refreshes
SELECT unnest($schools::VARCHAR[]), $as_of, now(), $thresholds;

DROP TABLE temp.watch_kept;

DROP TABLE temp.watch_new
