-- migrations/warehouse/004-attendance-summaries.sql in PostgreSQL (the bench creates these in schema
-- "summary"): the per-student, per-year record kept as tables, as the warehouse keeps it. The bench copies
-- the rows of both tables from DuckDB (the ingest computed them there), so PostgreSQL reads the same
-- pre-aggregated rows as DuckDB; only the view over them is computed per query, as in the warehouse.

CREATE TABLE school_year_days (
  school_code    text NOT NULL,
  academic_year  integer NOT NULL,
  school_days    integer NOT NULL,
  weeks          integer NOT NULL,
  from_calendar  boolean NOT NULL,
  PRIMARY KEY (school_code, academic_year)
);

CREATE TABLE attendance_student_year (
  student_pid    text NOT NULL,
  school_code    text NOT NULL,
  academic_year  integer NOT NULL,
  excused_days   integer NOT NULL,
  absent_days    integer NOT NULL,
  main_reason    text
);

CREATE VIEW student_year_attendance AS
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       coalesce(a.excused_days, 0) AS excused_days,
       d.school_days - coalesce(a.excused_days, 0) AS required_days,
       coalesce(a.absent_days, 0) AS absent_days,
       d.school_days - coalesce(a.excused_days, 0) - coalesce(a.absent_days, 0) AS attended_days,
       a.main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN attendance_student_year a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year;
