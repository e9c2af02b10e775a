-- A 1.1 users.csv's raw rows ({{raw}}) as its package table: as users.sql, but the user's role and orgs
-- (orgSourcedIds, a comma list) are on the row itself.
CREATE TABLE {{table}} AS
SELECT {{common}}, m.pid AS user_pid, r."enabledUser", r.grades AS grades_cell, r."metadata.jp.homeClass",
       r.role, r."orgSourcedIds",
       ingest_staging.oneroster_boolean(r."enabledUser") AS enabled, ingest_staging.oneroster_list(r.grades) AS grades,
       ingest_staging.oneroster_list(r."orgSourcedIds") AS org_ids,
       NULL::VARCHAR AS org_id, r."metadata.jp.homeClass" AS home_class_id, NULL::INTEGER AS academic_year,
       r."userIds" IS NOT NULL AND NOT ingest_staging.oneroster_user_ids_form(r."userIds") AS user_ids_malformed,
       false AS is_student
FROM {{raw}} r LEFT JOIN ingest_staging.pid_map m ON m.raw = r."sourcedId"
