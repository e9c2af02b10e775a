-- The lines whose mailbox identity ({{mbox_ids}}) another student has, in this file or in the warehouse (unless
-- that student's row of this file, {{table}}, is loaded and replaces it): such an address links nobody.
CREATE TABLE {{into}} AS
SELECT b.line FROM {{mbox_ids}} b
WHERE EXISTS (SELECT 1 FROM {{mbox_ids}} o WHERE o.id_pid = b.id_pid AND o.user_pid <> b.user_pid)
   OR EXISTS (SELECT 1 FROM main.student_identities w WHERE w.id_type = 'mbox' AND w.id_pid = b.id_pid AND w.student_pid <> b.user_pid
              AND w.student_pid NOT IN (SELECT user_pid FROM {{table}} WHERE is_student AND NOT rejected))
