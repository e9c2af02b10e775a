-- Who is a student, in a 1.2 package without roles.csv: a user ({{users}}) with an active student role in the
-- roster state ({{state_roles}}).
UPDATE {{users}} SET is_student = coalesce(user_pid IN (
  SELECT user_pid FROM {{state_roles}} WHERE status = 'active' AND role = 'student'), false)
