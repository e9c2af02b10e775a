-- A 1.2 users.csv's raw rows ({{raw}}, sourcedId pseudonymised into ingest_staging.pid_map) as its package
-- table ({{table}}; {{common}}: ../package/common-columns.sql). The org is primaryOrgSourcedId; the role comes
-- from roles.csv. org_id (the user's school) and academic_year are set once orgs and scope are known.
CREATE TABLE {{table}} AS
SELECT {{common}}, m.pid AS user_pid, r."enabledUser", r.grades AS grades_cell, r."metadata.jp.homeClass",
       NULL::VARCHAR AS role, r."primaryOrgSourcedId",
       ingest_staging.oneroster_boolean(r."enabledUser") AS enabled, ingest_staging.oneroster_list(r.grades) AS grades,
       CASE WHEN r."primaryOrgSourcedId" IS NULL THEN []::VARCHAR[] ELSE [r."primaryOrgSourcedId"] END AS org_ids,
       NULL::VARCHAR AS org_id, r."metadata.jp.homeClass" AS home_class_id, NULL::INTEGER AS academic_year,
       r."userIds" IS NOT NULL AND NOT ingest_staging.oneroster_user_ids_form(r."userIds") AS user_ids_malformed,
       false AS is_student
FROM {{raw}} r LEFT JOIN ingest_staging.pid_map m ON m.raw = r."sourcedId"
