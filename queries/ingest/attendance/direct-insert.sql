-- Every row of the file straight into attendance_records, typed by the reader (status and reason as the
-- warehouse's enum types: a value it cannot convert stops the load), joined to the map raw ID → sid. The
-- map is the join's build side: the reader's estimate of a large file's rows (auto_detect) keeps it
-- there. A row without a date (or one written otherwise than YYYY-MM-DD) or without a status breaks the
-- table's NOT NULL constraint; a row of a school without a number is not written. {{reason}}, {{place}}:
-- the column, or NULL for a file without it.
INSERT INTO main.attendance_records (student_ref, school_ref, day, academic_year, status, reason, batch_ref, place)
SELECT m.sid, s.school_ref, r.day, ingest_staging.academic_year_of(r.day), r.status, {{reason}}, $batch_ref::INTEGER, {{place}}
FROM (SELECT * EXCLUDE ("date"), CASE WHEN "date" LIKE '____-__-__' THEN TRY_CAST("date" AS DATE) END AS day
      FROM read_csv($path, header = true, columns = $columns, quote = '"', escape = '"', auto_detect = true, delim = ',')) r
JOIN {{map}} m ON m.raw = r.student_id
JOIN {{schools}} s ON s.school_code = r.school_code
