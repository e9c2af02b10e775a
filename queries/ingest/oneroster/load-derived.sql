-- A package's load, after the mirror: the warehouse rows derived while staging (derive.ts's d_* tables;
-- affected: the schools and years the package touched; d_history: past enrolments kept), written in
-- the batch's transaction. Reads staging, writes main only. $batch: the batch.
INSERT OR REPLACE INTO main.schools (school_code, name, school_type, prefecture_code, municipality, org_id, batch_id)
SELECT school_code, name, school_type, prefecture_code, municipality, org_id, $batch FROM {{d_schools}};
-- A year's dates come from its schoolYear session; a year only classes imply is added once and left alone.
INSERT OR REPLACE INTO main.academic_years (academic_year, title, start_date, end_date)
SELECT academic_year, title, start_date, end_date FROM {{d_years}} d
WHERE d.from_session OR NOT EXISTS (SELECT 1 FROM main.academic_years a WHERE a.academic_year = d.academic_year);
INSERT OR REPLACE INTO main.students (student_pid, sex, birth_year_month, batch_id)
SELECT student_pid, sex, birth_year_month, $batch FROM {{d_students}};
-- Only what changed: a yearly bulk repeats most students' IDs, and index deletes are not free.
DELETE FROM main.student_identities s WHERE s.student_pid IN (SELECT student_pid FROM {{d_identity_students}})
  AND NOT EXISTS (SELECT 1 FROM {{d_identities}} d
                  WHERE d.id_type = s.id_type AND d.id_pid = s.id_pid AND d.student_pid = s.student_pid);
INSERT INTO main.student_identities (id_type, id_pid, student_pid, batch_id)
SELECT id_type, id_pid, student_pid, $batch FROM {{d_identities}} d
WHERE NOT EXISTS (SELECT 1 FROM main.student_identities s WHERE s.id_type = d.id_type AND s.id_pid = d.id_pid);
INSERT OR REPLACE INTO main.homerooms (homeroom_id, school_code, academic_year, title, grades, special_needs, disability_type, batch_id)
SELECT homeroom_id, school_code, academic_year, title, grades, special_needs, disability_type, $batch FROM {{d_homerooms}};
DELETE FROM main.homerooms h USING {{affected}} a
WHERE h.school_code = a.school_code AND h.academic_year = a.academic_year
  AND NOT EXISTS (SELECT 1 FROM {{d_homerooms}} d WHERE d.homeroom_id = h.homeroom_id AND d.academic_year = h.academic_year);
INSERT OR REPLACE INTO main.enrolments (student_pid, school_code, academic_year, grade, homeroom_id, special_needs, batch_id)
SELECT d.student_pid, d.school_code, d.academic_year, CASE WHEN d.past THEN e.grade ELSE d.grade END, d.homeroom_id,
       d.special_needs, $batch
FROM {{d_enrolments}} d
LEFT JOIN main.enrolments e ON e.student_pid = d.student_pid AND e.school_code = d.school_code AND e.academic_year = d.academic_year;
DELETE FROM main.enrolments e USING {{affected}} a
WHERE e.school_code = a.school_code AND e.academic_year = a.academic_year
  AND NOT EXISTS (SELECT 1 FROM {{d_enrolments}} d
                  WHERE d.student_pid = e.student_pid AND d.school_code = e.school_code AND d.academic_year = e.academic_year)
  AND NOT EXISTS (SELECT 1 FROM {{d_history}} h WHERE h.student_pid = e.student_pid AND h.academic_year = e.academic_year);
INSERT OR REPLACE INTO main.staff_counts (school_code, academic_year, role, staff, batch_id)
SELECT school_code, academic_year, role, staff, $batch FROM {{d_staff_counts}};
DELETE FROM main.staff_counts c USING {{affected}} a
WHERE c.school_code = a.school_code AND c.academic_year = a.academic_year
  AND NOT EXISTS (SELECT 1 FROM {{d_staff_counts}} d
                  WHERE d.school_code = c.school_code AND d.academic_year = c.academic_year AND d.role = c.role);
