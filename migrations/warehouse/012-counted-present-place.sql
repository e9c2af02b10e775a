-- 指導要録上出席扱い by place: where a student counted present was learning, which 問題行動・不登校調査 asks
-- for 不登校 students (学校外の機関等 / 自宅におけるICT等を活用した学習活動). attendance.csv's optional column
-- `place` on a `counted_present` row: external_facility (a support centre or other body outside the school), ict_home
-- (ICT learning at home) or other; NULL on every other row and where the file does not say.
CREATE TYPE attendance_place AS ENUM ('external_facility', 'ict_home', 'other');

ALTER TABLE attendance_records ADD COLUMN place attendance_place;

DROP VIEW attendance_days;

CREATE VIEW attendance_days AS
SELECT r.student_pid, s.school_code, a.day, a.academic_year,
       CAST(a.status AS VARCHAR) AS status, CAST(a.reason AS VARCHAR) AS reason, CAST(b.batch_id AS VARCHAR) AS batch_id,
       CAST(a.place AS VARCHAR) AS place
FROM attendance_records a JOIN student_refs r ON r.student_ref = a.student_ref JOIN school_refs s ON s.school_ref = a.school_ref
LEFT JOIN batch_refs b ON b.batch_ref = a.batch_ref;
