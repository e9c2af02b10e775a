-- A 1.2 users.csv row whose user has no role: neither in the roles after this package ({{roles}}) nor listed
-- in roles.csv ({{listed}}: the users its rows name). Not loaded: a warning.

-- @rule no_role
-- @severity warning
-- @column sourcedId
-- @says_code oneroster.no_role
-- @value withheld
-- @when
NOT deleting AND user_pid NOT IN (SELECT user_pid FROM {{roles}} WHERE status = 'active') AND user_pid NOT IN {{listed}};
