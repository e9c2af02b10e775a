-- The schools and years batch $batch touched, found once per load (inside the batch's own transaction)
-- for every refresh in queries/derived to read instead of finding them again in the fact tables:
--   by_attendance  the batch wrote attendance rows there (the attendance summaries change)
--   by_calendar    the batch wrote a calendar there (the school days change)
--   neither        a roster wrote enrolments there, or changed the sex or birth month of a student
--                  enrolled there (a roster rewrites every enrolment of the schools and years it covers,
--                  so each carries the batch)
-- This file makes the table and adds what rosters touched (enrolments and students are small); the
-- years of the batch's attendance and calendar rows are added by derived-tables.ts from the staged rows
-- the batch loaded, not found again by scanning the warehouse's fact tables. One row per school and
-- year, so that a refresh joined to it reads each year once. Statements run in order.

CREATE OR REPLACE TEMP TABLE derived_touched (
  school_code    VARCHAR NOT NULL,
  academic_year  INTEGER NOT NULL,
  by_attendance  BOOLEAN NOT NULL,
  by_calendar    BOOLEAN NOT NULL,
  PRIMARY KEY (school_code, academic_year)
);

INSERT INTO temp.derived_touched
SELECT school_code, academic_year, false, false FROM main.enrolments WHERE batch_id = $batch
UNION SELECT e.school_code, e.academic_year, false, false FROM main.enrolments e JOIN main.students s ON s.student_pid = e.student_pid WHERE s.batch_id = $batch;
