-- The per-enrolled-student year record of 出欠 (migration 004's view student_year_attendance) kept as a
-- table: same name, same columns, same rows. Survey items and evidence then read one row per enrolled
-- student instead of joining enrolments, students, school days and the attendance summaries for every
-- figure. The ingest refreshes it in the batch's own transaction for the schools and years a batch
-- touched: by attendance and calendars (the summaries change) and by rosters (enrolments, grades,
-- homerooms and sex change) — queries/derived/student-year-attendance.sql.

DROP VIEW student_year_attendance;

-- One row per enrolment of a student the warehouse knows, at a school with school days that year:
--   excused_days  出席停止・忌引等 (suspension, mourning, closure: not absences)
--   required_days 出席しなければならない日数 = school days − excused days
--   absent_days   欠席日数; attended_days = required − absent
--   main_reason   for a student with absences: the reason with the most absence days (none → other, a tie → other)
-- No key: (student_pid, school_code, academic_year) is unique because it is the key of enrolments.
CREATE TABLE student_year_attendance (
  academic_year  INTEGER NOT NULL,
  school_code    VARCHAR NOT NULL,
  student_pid    VARCHAR NOT NULL,
  grade          VARCHAR,
  homeroom_id    VARCHAR,
  special_needs  BOOLEAN NOT NULL,
  sex            VARCHAR,
  school_days    INTEGER NOT NULL,
  excused_days   INTEGER NOT NULL,
  required_days  INTEGER NOT NULL,
  absent_days    INTEGER NOT NULL,
  attended_days  INTEGER NOT NULL,
  main_reason    VARCHAR
);

-- Rows in year and school order, so that a year's figures read that year's row groups only.
INSERT INTO student_year_attendance
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       coalesce(a.excused_days, 0),
       d.school_days - coalesce(a.excused_days, 0),
       coalesce(a.absent_days, 0),
       d.school_days - coalesce(a.excused_days, 0) - coalesce(a.absent_days, 0),
       a.main_reason
FROM enrolments e
JOIN students s ON s.student_pid = e.student_pid
JOIN school_year_days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN attendance_student_year a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
ORDER BY e.academic_year, e.school_code;
