-- Each student's mailbox identity ({{into}}): the pseudonym of their mailbox ({{mailboxes}}, pseudonymised).
CREATE TABLE {{into}} AS
SELECT b.line, b.user_pid, m.pid AS id_pid FROM {{mailboxes}} b JOIN ingest_staging.pid_map m ON m.raw = b.mbox
