-- roles.csv's raw rows ({{raw}}, sourcedId and userSourcedId pseudonymised into ingest_staging.pid_map) as its
-- package table ({{table}}; {{common}}: ../package/common-columns.sql).
CREATE TABLE {{table}} AS
SELECT {{common}}, k.pid AS role_pid, u.pid AS user_pid, r.role, r."roleType", r."orgSourcedId",
       r."roleType" AS role_type, r."orgSourcedId" AS org_id, r."userSourcedId" IS NULL AS user_missing
FROM {{raw}} r LEFT JOIN ingest_staging.pid_map k ON k.raw = r."sourcedId" LEFT JOIN ingest_staging.pid_map u ON u.raw = r."userSourcedId"
