-- The users a roles.csv row may name: active in the roster state ({{state}}), or a row of this package's
-- users.csv ({{users}}) not rejected.
(SELECT user_pid FROM {{state}} WHERE status = 'active' UNION SELECT user_pid FROM {{users}} WHERE NOT rejected AND user_pid IS NOT NULL)
