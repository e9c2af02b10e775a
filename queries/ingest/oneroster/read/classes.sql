-- classes.csv's raw rows ({{raw}}) as its package table ({{table}}; {{common}}: ../package/common-columns.sql):
-- the cells as written (for problem values) and typed. A class is special-needs only when the file says so;
-- its type of disability is Shirube's extension column.
CREATE TABLE {{table}} AS
SELECT {{common}}, r."sourcedId" AS class_id, r.title, r.grades AS grades_cell, r."courseSourcedId", r."classType",
       r."schoolSourcedId", r."termSourcedIds", r."metadata.jp.specialNeeds", r."metadata.shirube.disabilityType",
       r."classType" AS class_type, r."courseSourcedId" AS course_id, r."schoolSourcedId" AS org_id,
       ingest_staging.oneroster_list(r."termSourcedIds") AS term_ids, ingest_staging.oneroster_list(r.grades) AS grades,
       CASE WHEN r."metadata.jp.specialNeeds" IS NULL THEN false
            ELSE ingest_staging.oneroster_boolean(r."metadata.jp.specialNeeds") END AS special_needs,
       nullif(trim(r."metadata.shirube.disabilityType"), '') AS disability_type
FROM {{raw}} r
