-- The users an enrollments.csv or demographics.csv row may name: active after this package ({{effective}}), or
-- a row of its users.csv ({{users}}) not rejected (parents too: their rows are dropped, not errors).
(SELECT user_pid FROM {{effective}} WHERE status = 'active'
 UNION SELECT user_pid FROM {{users}} WHERE NOT rejected AND NOT deleting AND user_pid IS NOT NULL)
