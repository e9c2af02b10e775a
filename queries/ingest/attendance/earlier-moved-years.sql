-- A corrected day can move a student to another school (a transfer sent late): that school-year joins the
-- touched ones.
INSERT INTO {{years}}
SELECT DISTINCT s.school_code, a.school_ref, a.academic_year, NULL::DATE, NULL::DATE
FROM main.attendance_records a
JOIN (SELECT DISTINCT student_ref, day FROM main.attendance_records WHERE batch_ref = $1::INTEGER) n
  ON n.student_ref = a.student_ref AND n.day = a.day
JOIN main.school_refs s ON s.school_ref = a.school_ref
WHERE a.day BETWEEN (SELECT min(first_day) FROM {{years}}) AND (SELECT max(last_day) FROM {{years}})
  AND a.batch_ref IS DISTINCT FROM $1::INTEGER
  AND (a.school_ref, a.academic_year) NOT IN (SELECT (school_ref, academic_year) FROM {{years}})
