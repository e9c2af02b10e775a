-- An enrolment per (student, school, 年度) ({{into}}) from the student's classes ({{enrollments}}, placed by
-- {{places}}), metadata.jp.homeClass, and for a student in no class of their listed year, their school in that
-- year ({{student_users}}).
CREATE TABLE {{into}} AS
WITH classed AS (
  SELECT e.user_pid, p.school_code, p.academic_year, CASE WHEN p.class_type = 'homeroom' THEN p.class_id END AS homeroom_id, p.special_needs, false AS from_home_class
  FROM {{enrollments}} e JOIN {{student_users}} su ON su.user_pid = e.user_pid JOIN {{places}} p ON p.class_id = e.class_id
  WHERE e.status = 'active' AND e.role = 'student'
  UNION ALL
  SELECT su.user_pid, p.school_code, p.academic_year, p.class_id, p.special_needs, true
  FROM {{student_users}} su JOIN {{places}} p ON p.class_id = su.home_class_id AND p.class_type = 'homeroom')
SELECT * FROM classed
UNION ALL
SELECT su.user_pid, su.school_code, su.academic_year, NULL, false, false FROM {{student_users}} su
WHERE su.school_code IS NOT NULL AND su.academic_year IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM classed c WHERE c.user_pid = su.user_pid AND c.academic_year = su.academic_year)
