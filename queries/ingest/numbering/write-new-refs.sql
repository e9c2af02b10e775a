-- At load, before the daily rows that use them: the student and school numbers this batch gave that the
-- warehouse does not hold yet, and the batch's own number (batch_refs).
INSERT INTO main.student_refs SELECT student_ref, student_pid FROM ingest_staging.unsaved_student_refs;
INSERT INTO main.school_refs SELECT school_ref, school_code FROM ingest_staging.unsaved_school_refs;
INSERT INTO main.batch_refs SELECT CAST((SELECT coalesce(max(batch_ref), 0) FROM main.batch_refs) + 1 AS INTEGER), $batch::UUID
WHERE NOT EXISTS (SELECT 1 FROM main.batch_refs WHERE batch_id = $batch::UUID);
