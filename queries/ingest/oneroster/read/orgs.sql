-- orgs.csv's raw rows ({{raw}}) as its package table ({{table}}; {{common}}: ../package/common-columns.sql). A
-- `school` org's key in the warehouse is its MEXT code (identifier, checked in Node: school_code_check), or a
-- synthetic code when it has none.
CREATE TABLE {{table}} AS
SELECT {{common}}, r."sourcedId" AS org_id, r.name, r.type, r.identifier, r."parentSourcedId", r."parentSourcedId" AS parent_id,
       CASE WHEN r.type = 'school' THEN coalesce(r.identifier, ingest_staging.oneroster_synthetic_school_code(r."sourcedId")) END AS school_code,
       coalesce(sc.valid, false) AS identifier_valid
FROM {{raw}} r LEFT JOIN ingest_staging.school_code_check sc ON sc.code = r.identifier
