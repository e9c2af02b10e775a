-- Students' mailboxes ({{into}}): `mailto:<email>` of each address ({{emails}}) of a student's row of users.csv
-- ({{table}}) that is loaded, pseudonymised next. With $pre the address is already that pseudonym.
CREATE TABLE {{into}} AS
SELECT e.line, e.user_pid, CASE WHEN $pre THEN e.email ELSE 'mailto:' || e.email END AS mbox, false AS rejected
FROM {{emails}} e JOIN {{table}} u ON u.line = e.line WHERE u.is_student AND NOT u.deleting AND NOT u.rejected
