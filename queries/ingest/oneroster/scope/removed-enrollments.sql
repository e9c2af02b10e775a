-- Enrollments removed ({{into}}): active ones of the roster state ({{state_enrollments}}) of removed classes and
-- users, and ({{scoped_classes}}) for a bulk enrollments.csv those of its scope; unless the file lists them
-- ({{listed}}).
CREATE TABLE {{into}} AS
SELECT enrollment_pid FROM {{state_enrollments}} s
WHERE s.status = 'active'
  AND (s.class_id IN (SELECT class_id FROM {{removed_classes}}) OR s.user_pid IN (SELECT user_pid FROM {{removed_users}})
       OR s.class_id IN {{scoped_classes}})
  AND s.enrollment_pid NOT IN {{listed}}
