-- record_id: a digest of the pseudonymous natural key, so a corrected row replaces its original.
CREATE TEMP TABLE ingest_guidance_valid AS
SELECT *, md5(concat_ws('|', student_pid, CAST(day AS VARCHAR), category, coalesce(type_code, ''))) AS record_id FROM {{valid}};
DELETE FROM main.guidance_records WHERE record_id IN (SELECT record_id FROM temp.ingest_guidance_valid);
INSERT INTO main.guidance_records (record_id, student_pid, school_code, academic_year, recorded_on, category, type_code, discovered_by, resolved, serious, batch_id)
SELECT record_id, student_pid, school_code, academic_year, day, category, type_code, discovered_by,
       CASE WHEN lower(resolved) IN ('true', '1', 'yes') THEN true WHEN lower(resolved) IN ('false', '0', 'no') THEN false END,
       CASE WHEN lower(serious) IN ('true', '1', 'yes') THEN true WHEN lower(serious) IN ('false', '0', 'no') THEN false END,
       $batch FROM temp.ingest_guidance_valid;
DROP TABLE temp.ingest_guidance_valid;
