-- The users whose enrolments or staff counts may have changed ({{into}}): changed users, and the users of changed
-- roles (before, {{state_roles}}, and after, {{roles}}); a changed enrollment is covered by its class, and
-- demographics change students only.
CREATE TABLE {{into}} AS
SELECT user_pid FROM {{changed_users}}
UNION SELECT user_pid FROM {{state_roles}} WHERE role_pid IN {{changed_roles}}
UNION SELECT user_pid FROM {{roles}} WHERE role_pid IN {{changed_roles}}
