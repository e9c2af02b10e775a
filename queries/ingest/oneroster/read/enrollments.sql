-- enrollments.csv's raw rows ({{raw}}, sourcedId and userSourcedId pseudonymised into ingest_staging.pid_map:
-- vendors often build an enrollment's ID from the user's) as its package table ({{table}}; {{common}}:
-- ../package/common-columns.sql).
CREATE TABLE {{table}} AS
SELECT {{common}}, k.pid AS enrollment_pid, u.pid AS user_pid, r."classSourcedId", r."schoolSourcedId", r.role, r."primary",
       r."classSourcedId" AS class_id, r."schoolSourcedId" AS org_id, ingest_staging.oneroster_boolean(r."primary") AS is_primary,
       r."userSourcedId" IS NULL AS user_missing
FROM {{raw}} r LEFT JOIN ingest_staging.pid_map k ON k.raw = r."sourcedId" LEFT JOIN ingest_staging.pid_map u ON u.raw = r."userSourcedId"
