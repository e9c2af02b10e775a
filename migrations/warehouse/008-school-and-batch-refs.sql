-- Daily attendance stores the school and the batch as small numbers too. Writing the 13-character school
-- code on every one of a prefecture's 20 M rows a year was the largest part of writing them (measured:
-- 1.3 s of the rows' 1.9 s; a number costs 0.2 s), and the batch's UUID another 0.2-0.4 s; the checks
-- and summaries group and join on the numbers.
--
--   school_refs         one small integer per school (every school the warehouse knows, numbered when an
--                       attendance ingest first meets it), and its MEXT code
--   batch_refs          one small integer per ingest batch that wrote daily rows, and the batch's id
--   attendance_records  school_ref and batch_ref instead of school_code and batch_id
--   attendance_days     the view, with exactly the columns it had (school_code and batch_id among them)
--
-- Like student_ref, the numbers mean nothing outside the warehouse and are never published or exported.

CREATE TABLE school_refs (
  school_ref       INTEGER PRIMARY KEY,
  school_code      VARCHAR NOT NULL UNIQUE
);

INSERT INTO school_refs
SELECT CAST(row_number() OVER (ORDER BY school_code) AS INTEGER), school_code
FROM (SELECT school_code FROM schools UNION SELECT DISTINCT school_code FROM attendance_records);

CREATE TABLE batch_refs (
  batch_ref        INTEGER PRIMARY KEY,
  batch_id         UUID NOT NULL UNIQUE
);

INSERT INTO batch_refs
SELECT CAST(row_number() OVER (ORDER BY batch_id) AS INTEGER), batch_id
FROM (SELECT DISTINCT batch_id FROM attendance_records WHERE batch_id IS NOT NULL);

DROP VIEW attendance_days;

CREATE TABLE attendance_records_by_ref (
  student_ref      INTEGER NOT NULL,
  school_ref       INTEGER NOT NULL,
  day              DATE NOT NULL,
  academic_year    INTEGER NOT NULL,
  status           attendance_status NOT NULL,
  reason           absence_reason,
  batch_ref        INTEGER
);

INSERT INTO attendance_records_by_ref
SELECT a.student_ref, s.school_ref, a.day, a.academic_year, a.status, a.reason, b.batch_ref
FROM attendance_records a JOIN school_refs s ON s.school_code = a.school_code LEFT JOIN batch_refs b ON b.batch_id = a.batch_id
ORDER BY s.school_ref, a.day;

DROP TABLE attendance_records;

ALTER TABLE attendance_records_by_ref RENAME TO attendance_records;

CREATE VIEW attendance_days AS
SELECT r.student_pid, s.school_code, a.day, a.academic_year,
       CAST(a.status AS VARCHAR) AS status, CAST(a.reason AS VARCHAR) AS reason, CAST(b.batch_id AS VARCHAR) AS batch_id
FROM attendance_records a JOIN student_refs r ON r.student_ref = a.student_ref JOIN school_refs s ON s.school_ref = a.school_ref
LEFT JOIN batch_refs b ON b.batch_ref = a.batch_ref;
