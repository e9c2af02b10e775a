-- The warehouse's layout since migrations/warehouse/005-student-year-attendance.sql, in PostgreSQL (the bench
-- creates these in schema "summary"): the attendance summaries of migration 004 and the per-enrolled-student
-- record as tables. The bench copies the rows of all three from DuckDB (the ingest computed them there), so
-- PostgreSQL reads the same pre-aggregated rows as DuckDB: engine against engine on the same layout.

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

CREATE TABLE student_year_attendance (
  academic_year  integer NOT NULL,
  school_code    text NOT NULL,
  student_pid    text NOT NULL,
  grade          text,
  homeroom_id    text,
  special_needs  boolean NOT NULL,
  sex            text,
  school_days    integer NOT NULL,
  excused_days   integer NOT NULL,
  required_days  integer NOT NULL,
  absent_days    integer NOT NULL,
  attended_days  integer NOT NULL,
  main_reason    text
);
