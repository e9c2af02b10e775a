-- Roles replaced or removed ({{into}}): those of the roster state ({{state_roles}}) of removed users
-- ({{removed_users}}) or of users whose roles the package replaces ({{replaced_users}}), unless roles.csv lists
-- the role ({{listed}}).
CREATE TABLE {{into}} AS
SELECT role_pid FROM {{state_roles}} s
WHERE (s.user_pid IN (SELECT user_pid FROM {{removed_users}}) OR s.user_pid IN {{replaced_users}})
  AND s.role_pid NOT IN {{listed}}
