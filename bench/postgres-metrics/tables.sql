-- The warehouse tables the metric catalogue reads, in PostgreSQL: same columns and types as
-- migrations/warehouse/001-init.sql (VARCHAR → text, DOUBLE → double precision, VARCHAR[] → text[]).
-- Created without keys so that COPY loads fast; keys.sql adds the warehouse's primary keys after the load.

CREATE TABLE students (
  student_pid      text NOT NULL,
  sex              text,
  birth_year_month text,
  batch_id         text
);

CREATE TABLE homerooms (
  homeroom_id      text NOT NULL,
  school_code      text NOT NULL,
  academic_year    integer NOT NULL,
  title            text NOT NULL,
  grades           text[] NOT NULL,
  special_needs    boolean NOT NULL,
  batch_id         text,
  disability_type  text
);

CREATE TABLE enrolments (
  student_pid      text NOT NULL,
  school_code      text NOT NULL,
  academic_year    integer NOT NULL,
  grade            text,
  homeroom_id      text,
  special_needs    boolean NOT NULL DEFAULT false,
  batch_id         text
);

CREATE TABLE staff_counts (
  school_code      text NOT NULL,
  academic_year    integer NOT NULL,
  role             text NOT NULL,
  staff            integer NOT NULL,
  batch_id         text
);

CREATE TABLE school_days (
  school_code      text NOT NULL,
  day              date NOT NULL,
  academic_year    integer NOT NULL,
  batch_id         text
);

CREATE TABLE attendance_days (
  student_pid      text NOT NULL,
  school_code      text NOT NULL,
  day              date NOT NULL,
  academic_year    integer NOT NULL,
  status           text NOT NULL,
  reason           text,
  batch_id         text,
  place            text
);

CREATE TABLE assessment_results (
  student_pid      text NOT NULL,
  school_code      text NOT NULL,
  academic_year    integer NOT NULL,
  assessment_id    text NOT NULL,
  subject          text NOT NULL,
  administered_on  date NOT NULL,
  score            double precision NOT NULL,
  max_score        double precision NOT NULL,
  batch_id         text
);

CREATE TABLE guidance_records (
  record_id        text NOT NULL,
  student_pid      text NOT NULL,
  school_code      text NOT NULL,
  academic_year    integer NOT NULL,
  recorded_on      date NOT NULL,
  category         text NOT NULL,
  type_code        text,
  discovered_by    text,
  resolved         boolean,
  serious          boolean,
  batch_id         text
);

CREATE TABLE learning_activity (
  statement_id     text NOT NULL,
  actor_pid        text NOT NULL,
  student_pid      text,
  school_code      text,
  academic_year    integer,
  verb_id          text NOT NULL,
  activity_id      text,
  activity_type    text,
  ts               timestamptz NOT NULL,
  duration_s       double precision,
  score_scaled     double precision,
  score_raw        double precision,
  success          boolean,
  completion       boolean,
  batch_id         text
);
