-- The rules of a student's users.csv row (is_student set): a Japan-profile grade (the first of `grades`), and
-- IDs ({{identities}}: one row per userIds id) that no other student of the file ({{table}}) or of the
-- warehouse has, unless this package replaces that student's identities. A student without a grade loads with
-- a warning (the enrolment's grade stays empty).

-- @rule first_grade
-- @severity error
-- @column grades
-- @says_code oneroster.first_grade
-- @param values $grade_codes
-- @value grades_cell
-- @when
is_student AND NOT deleting AND len(grades) > 0 AND NOT list_contains($grade_codes, grades[1]);

-- @rule no_grade
-- @severity warning
-- @column grades
-- @says_code oneroster.no_grade
-- @value NULL
-- @when
is_student AND NOT deleting AND len(grades) = 0;

-- @rule user_ids_shared
-- @severity error
-- @column userIds
-- @says_code oneroster.user_ids_shared
-- @value withheld
-- @when
line IN (
  SELECT i.line FROM {{identities}} i JOIN {{table}} u ON u.line = i.line AND u.is_student AND NOT u.deleting
  WHERE EXISTS (SELECT 1 FROM {{identities}} o JOIN {{table}} ou ON ou.line = o.line AND ou.is_student AND NOT ou.deleting
                WHERE o.id_type = i.id_type AND o.id_pid = i.id_pid AND o.user_pid <> i.user_pid)
     OR EXISTS (SELECT 1 FROM main.student_identities w
                WHERE w.id_type = i.id_type AND w.id_pid = i.id_pid AND w.student_pid <> i.user_pid
                  AND w.student_pid NOT IN (SELECT user_pid FROM {{table}} WHERE is_student AND NOT rejected AND NOT stale)));
