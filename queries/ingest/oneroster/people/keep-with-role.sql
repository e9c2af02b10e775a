-- Users ({{users}}) the mirror keeps, in a 1.2 package: a deleting row, or a user with an active role after
-- this package ({{roles}}).
UPDATE {{users}} SET keep = deleting OR user_pid IN (SELECT user_pid FROM {{roles}} WHERE status = 'active')
