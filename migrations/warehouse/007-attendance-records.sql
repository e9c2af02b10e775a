-- Daily attendance is the largest table by far (a prefecture: 20 M rows a year), and writing it was most
-- of an ingest's time: every row carried the 64-digit pseudonym, the status and reason as text and the
-- batch id as text. The rows are now stored compactly:
--
--   student_refs        one small integer per student with attendance rows, and the student's pseudonym
--                       (student_ref is the warehouse's own number; it means nothing outside it and is
--                       never published or exported)
--   attendance_records  the daily rows: student_ref, status and reason as enums, the batch as a UUID
--   attendance_days     a view with the columns the table had (pseudonym, status and reason as text), so
--                       every reader, the Parquet export and ad hoc SQL see what they saw before
--
-- The ingest writes attendance_records and student_refs; the derived tables and the month-grain cohort
-- query read attendance_records and join student_refs after aggregating.

CREATE TYPE attendance_status AS ENUM ('present', 'absent', 'late', 'early_leave', 'suspension', 'mourning', 'closure', 'counted_present');
CREATE TYPE absence_reason AS ENUM ('illness', 'economic', 'non_attendance', 'covid_avoidance', 'other');

CREATE TABLE student_refs (
  student_ref      INTEGER PRIMARY KEY,
  student_pid      VARCHAR NOT NULL UNIQUE
);

CREATE TABLE attendance_records (
  student_ref      INTEGER NOT NULL,
  school_code      VARCHAR NOT NULL,
  day              DATE NOT NULL,
  academic_year    INTEGER NOT NULL,
  status           attendance_status NOT NULL,
  reason           absence_reason,
  batch_id         UUID
);

INSERT INTO student_refs
SELECT CAST(row_number() OVER (ORDER BY student_pid) AS INTEGER), student_pid
FROM (SELECT DISTINCT student_pid FROM attendance_days);

INSERT INTO attendance_records
SELECT r.student_ref, a.school_code, a.day, a.academic_year, a.status, a.reason, TRY_CAST(a.batch_id AS UUID)
FROM attendance_days a JOIN student_refs r ON r.student_pid = a.student_pid
ORDER BY a.school_code, a.day;

DROP TABLE attendance_days;

CREATE VIEW attendance_days AS
SELECT r.student_pid, a.school_code, a.day, a.academic_year,
       CAST(a.status AS VARCHAR) AS status, CAST(a.reason AS VARCHAR) AS reason, CAST(a.batch_id AS VARCHAR) AS batch_id
FROM attendance_records a JOIN student_refs r ON r.student_ref = a.student_ref;
