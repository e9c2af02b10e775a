-- Refreshes student_year_attendance (migrations/warehouse/005) inside the batch's own transaction, after
-- the attendance summaries (derived/attendance-summaries), for the schools and years in
-- temp.derived_touched (queries/derived/touched.sql). Statements run in order.
--
-- A school and year is touched by the batch's attendance or calendar rows, by its enrolments (a roster
-- rewrites every enrolment of the schools and years it covers, so each carries the batch), and by the
-- enrolments of the students whose sex or birth month it changed. Enrolments a roster removed leave no
-- row to find them by: their records go by what the enrolments no longer hold (the first statement).

DELETE FROM main.student_year_attendance y
WHERE NOT EXISTS (SELECT 1 FROM main.enrolments e
                  WHERE e.student_pid = y.student_pid AND e.school_code = y.school_code AND e.academic_year = y.academic_year);

DELETE FROM main.student_year_attendance y USING temp.derived_touched t
WHERE t.school_code = y.school_code AND t.academic_year = y.academic_year;

INSERT INTO main.student_year_attendance
SELECT e.academic_year, e.school_code, e.student_pid, e.grade, e.homeroom_id, e.special_needs, s.sex,
       d.school_days,
       coalesce(a.excused_days, 0),
       d.school_days - coalesce(a.excused_days, 0),
       coalesce(a.absent_days, 0),
       d.school_days - coalesce(a.excused_days, 0) - coalesce(a.absent_days, 0),
       a.main_reason
FROM main.enrolments e
JOIN temp.derived_touched t ON t.school_code = e.school_code AND t.academic_year = e.academic_year
JOIN main.students s ON s.student_pid = e.student_pid
JOIN main.school_year_days d ON d.school_code = e.school_code AND d.academic_year = e.academic_year
LEFT JOIN main.attendance_student_year a ON a.student_pid = e.student_pid AND a.school_code = e.school_code AND a.academic_year = e.academic_year
ORDER BY e.academic_year, e.school_code
