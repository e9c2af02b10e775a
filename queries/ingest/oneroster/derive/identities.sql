-- Identities are replaced for the students whose users row this package applies ({{users}}: users.csv;
-- {{students}}: ../enrollments/effective-students.sql): {{identity_students}} (d_identity_students). Their ids
-- ({{identities}}: userIds; {{mbox_ids}}: mailboxes) make {{into}} (d_identities); an ID two students would
-- share (already reported) links neither.
CREATE TABLE {{identity_students}} AS
SELECT user_pid AS student_pid FROM {{users}} WHERE wins AND NOT deleting AND user_pid IN {{students}};
CREATE TABLE {{into}} AS
SELECT * FROM (
  SELECT DISTINCT id_type, id_pid, user_pid AS student_pid FROM {{identities}}
  WHERE user_pid IN (SELECT student_pid FROM {{identity_students}})
  UNION SELECT 'mbox', id_pid, user_pid FROM {{mbox_ids}}
  WHERE user_pid IN (SELECT student_pid FROM {{identity_students}}))
QUALIFY count(*) OVER (PARTITION BY id_type, id_pid) = 1;
