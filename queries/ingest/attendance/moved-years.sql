-- A corrected day can move a student to another school (a transfer sent late): the row held at the old
-- school is replaced too, so its school-year joins the touched ones (the load then looks for rows to
-- replace, and the derived tables of that school-year are refreshed).
INSERT INTO {{years}}
SELECT DISTINCT s.school_code, a.academic_year, NULL::DATE, NULL::DATE
FROM main.attendance_records a
JOIN (SELECT DISTINCT sid, day FROM {{rows}} WHERE NOT rejected) n ON n.sid = a.student_ref AND n.day = a.day
JOIN main.school_refs s ON s.school_ref = a.school_ref
WHERE a.day BETWEEN (SELECT min(first_day) FROM {{years}}) AND (SELECT max(last_day) FROM {{years}})
  AND (s.school_code, a.academic_year) NOT IN (SELECT (school_code, academic_year) FROM {{years}})
