-- The per-student, per-year record of 出欠 kept as tables instead of views over the daily rows, so that
-- survey items (asked at that grain) read hundreds of thousands of rows, not millions (DOMAIN.md: "a
-- warehouse that keeps both answers either fast"). The ingest refreshes them, for the schools and years
-- a batch touched, in the batch's own transaction (queries/derived/*.sql).

DROP VIEW student_year_attendance;
DROP VIEW school_year_days;

-- 授業日数 of a school in a year: from its calendar; where it sent none, the distinct dates in its attendance rows.
CREATE TABLE school_year_days (
  school_code    VARCHAR NOT NULL,
  academic_year  INTEGER NOT NULL,
  school_days    INTEGER NOT NULL,
  weeks          INTEGER NOT NULL,              -- Monday-based weeks with at least one school day
  from_calendar  BOOLEAN NOT NULL,
  PRIMARY KEY (school_code, academic_year)
);

-- Per student, school and year: excused days (出席停止・忌引・臨時休業), absence days, and the main reason
-- (the reason with the most absence days, none counting as other, a tie → other).
CREATE TABLE attendance_student_year (
  student_pid    VARCHAR NOT NULL,
  school_code    VARCHAR NOT NULL,
  academic_year  INTEGER NOT NULL,
  excused_days   INTEGER NOT NULL,
  absent_days    INTEGER NOT NULL,
  main_reason    VARCHAR
);

INSERT INTO school_year_days
SELECT school_code, academic_year, count(*), count(DISTINCT date_trunc('week', day)), true FROM school_days GROUP BY ALL;
INSERT INTO school_year_days
SELECT a.school_code, a.academic_year, count(DISTINCT a.day), count(DISTINCT date_trunc('week', a.day)), false
FROM attendance_days a
WHERE NOT EXISTS (SELECT 1 FROM school_days d WHERE d.school_code = a.school_code AND d.academic_year = a.academic_year)
GROUP BY ALL;

INSERT INTO attendance_student_year
WITH by_reason AS (
  SELECT student_pid, school_code, academic_year, coalesce(reason, 'other') AS reason, count(*) AS days
  FROM attendance_days WHERE status = 'absent' GROUP BY ALL
),
absences AS (
  SELECT student_pid, school_code, academic_year, sum(days) AS absent_days, max(days) AS top_days, arg_max(reason, days) AS leader, list(days) AS all_days
  FROM by_reason GROUP BY ALL
),
excused AS (
  SELECT student_pid, school_code, academic_year, count(*) AS excused_days
  FROM attendance_days WHERE status IN ('suspension', 'mourning', 'closure') GROUP BY ALL
)
SELECT coalesce(a.student_pid, x.student_pid), coalesce(a.school_code, x.school_code), coalesce(a.academic_year, x.academic_year),
       coalesce(x.excused_days, 0), coalesce(a.absent_days, 0),
       CASE WHEN a.absent_days IS NULL THEN NULL WHEN len(list_filter(a.all_days, n -> n = a.top_days)) > 1 THEN 'other' ELSE a.leader END
FROM absences a
FULL JOIN excused x ON x.student_pid = a.student_pid AND x.school_code = a.school_code AND x.academic_year = a.academic_year;

-- The record per enrolled student (same columns as before): required = school days − excused; attended = required − absent.
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
