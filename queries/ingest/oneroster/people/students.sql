-- Who is a student, in a 1.2 package: a user ({{users}}) with an active student role in the roster state
-- ({{state_roles}}) that this package's roles.csv ({{roles}}) does not list, or with a student role of roles.csv.
UPDATE {{users}} SET is_student = coalesce(user_pid IN (
  SELECT user_pid FROM {{state_roles}} WHERE status = 'active' AND role = 'student'
    AND role_pid NOT IN (SELECT role_pid FROM {{roles}} WHERE role_pid IS NOT NULL)
  UNION SELECT user_pid FROM {{roles}} WHERE NOT rejected AND NOT deleting AND role = 'student'), false)
