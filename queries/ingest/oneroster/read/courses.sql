-- courses.csv's raw rows ({{raw}}) as its package table ({{table}}; {{common}}: ../package/common-columns.sql).
CREATE TABLE {{table}} AS
SELECT {{common}}, r."sourcedId" AS course_id, r.title, r."orgSourcedId", r."schoolYearSourcedId",
       r."orgSourcedId" AS org_id, r."schoolYearSourcedId" AS school_year_id
FROM {{raw}} r
