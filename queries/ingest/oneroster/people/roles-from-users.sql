-- 1.1 has no roles.csv: each users row ({{users}}) gives a role at each of its orgSourcedIds (the first is the
-- primary one). They become role rows ({{into}}, a package table) keyed by a hash of the user's pseudonym and
-- the org, so both versions are derived alike; a role the mirror does not keep (macros.sql) is dropped.
CREATE TABLE {{into}} AS
SELECT DISTINCT ON (role_pid) * FROM (
  SELECT line, rejected, stale, deleting OR ingest_staging.oneroster_kept_role(role) AS keep,
         wins AND (deleting OR ingest_staging.oneroster_kept_role(role)) AS wins, status, "dateLastModified", dlm, deleting,
         sha256('role:' || user_pid || ':' || org_one) AS role_pid, user_pid, CASE WHEN i = 1 THEN 'primary' ELSE 'secondary' END AS role_type,
         role, org_one AS org_id
  FROM (SELECT *, unnest(org_ids) AS org_one, generate_subscripts(org_ids, 1) AS i FROM {{users}} WHERE user_pid IS NOT NULL))
ORDER BY role_pid, line
