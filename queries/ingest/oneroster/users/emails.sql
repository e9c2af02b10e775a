-- The e-mail addresses of users.csv's rows ({{raw}}), with the user's pseudonym: only to make students'
-- mailbox identities (mailboxes.sql), then dropped.
CREATE TABLE {{into}} AS
SELECT r.line, m.pid AS user_pid, r.email FROM {{raw}} r JOIN ingest_staging.pid_map m ON m.raw = r."sourcedId" WHERE r.email IS NOT NULL
