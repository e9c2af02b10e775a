-- The identities of users.csv's rows ({{into}}): each (type, id) of userIds ({{ids}}, pseudonymised) as the
-- pseudonym of the id.
CREATE TABLE {{into}} AS
SELECT DISTINCT i.line, i.user_pid, i.id_type, m.pid AS id_pid FROM {{ids}} i JOIN ingest_staging.pid_map m ON m.raw = i."userIds"
