-- An e-mail address two students share (a family's) links nobody: a warning on the rows whose mailbox
-- identity another student has ({{shared}}: their lines, ../users/shared-mailboxes.sql).

-- @rule email_shared
-- @severity warning
-- @column email
-- @says_code oneroster.email_shared
-- @value withheld
-- @when
line IN (SELECT line FROM {{shared}});
