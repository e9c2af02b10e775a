-- The students of the roster after this package: active users ({{users}}) with an active student role ({{roles}}).
(SELECT u.user_pid FROM {{users}} u WHERE u.status = 'active'
 AND u.user_pid IN (SELECT user_pid FROM {{roles}} WHERE status = 'active' AND role = 'student'))
