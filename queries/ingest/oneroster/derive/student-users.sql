-- The students of the roster after this package ({{students}}: ../enrollments/effective-students.sql) and where
-- the roster says they are when no class says it: their primary org ({{orgs}}), else a student role's school
-- ({{roles}}; a primary role first).
CREATE TABLE {{into}} AS
SELECT u.user_pid, u.grades[1] AS grade, u.home_class_id, u.academic_year, coalesce(po.school_code, rs.school_code) AS school_code
FROM {{users}} u
LEFT JOIN {{orgs}} po ON po.org_id = u.org_id AND po.status = 'active'
LEFT JOIN (SELECT r.user_pid, min_by(o.school_code, CASE WHEN r.role_type = 'primary' THEN '0' ELSE '1' END || o.school_code) AS school_code
           FROM {{roles}} r JOIN {{orgs}} o ON o.org_id = r.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
           WHERE r.status = 'active' AND r.role = 'student' GROUP BY r.user_pid) rs ON rs.user_pid = u.user_pid
WHERE u.user_pid IN {{students}}
