-- 教職員数 ({{into}}, d_staff_counts): distinct staff per school, year and category (macros.sql) in the affected
-- (school, 年度) pairs ({{affected}}), a staff member being at a school in a year by a class there ({{enrollments}},
-- placed by {{places}}) or by their row's year. {{roles}}, {{users}}, {{orgs}}: the roster after this package.
CREATE TABLE {{into}} AS
WITH staff AS (
  SELECT r.user_pid, o.school_code, ingest_staging.oneroster_staff_category(r.role) AS role, u.academic_year
  FROM {{roles}} r
  JOIN {{users}} u ON u.user_pid = r.user_pid AND u.status = 'active'
  JOIN {{orgs}} o ON o.org_id = r.org_id AND o.status = 'active' AND o.school_code IS NOT NULL
  WHERE r.status = 'active' AND ingest_staging.oneroster_staff_category(r.role) IS NOT NULL),
presence AS (
  SELECT s.user_pid, s.school_code, s.role, p.academic_year FROM staff s
  JOIN {{enrollments}} e ON e.user_pid = s.user_pid AND e.status = 'active'
  JOIN {{places}} p ON p.class_id = e.class_id AND p.school_code = s.school_code
  UNION SELECT user_pid, school_code, role, academic_year FROM staff WHERE academic_year IS NOT NULL)
SELECT p.school_code, p.academic_year, p.role, CAST(count(DISTINCT p.user_pid) AS INTEGER) AS staff
FROM presence p JOIN {{affected}} a ON a.school_code = p.school_code AND a.academic_year = p.academic_year
GROUP BY ALL
