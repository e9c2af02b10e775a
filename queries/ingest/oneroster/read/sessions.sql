-- academicSessions.csv's raw rows ({{raw}}) as its package table ({{table}}; {{common}}:
-- ../package/common-columns.sql), each session with the 年度 (April–March) of its start date.
CREATE TABLE {{table}} AS
SELECT *, ingest_staging.academic_year_of(start_date) AS academic_year FROM (
  SELECT {{common}}, r."sourcedId" AS session_id, r.title, r.type, r."startDate", r."endDate", r."parentSourcedId", r."schoolYear",
         ingest_staging.oneroster_date(r."startDate") AS start_date, ingest_staging.oneroster_date(r."endDate") AS end_date,
         r."parentSourcedId" AS parent_id,
         CASE WHEN regexp_full_match(r."schoolYear", '\d{4}') THEN CAST(r."schoolYear" AS INTEGER) END AS school_year
  FROM {{raw}} r)
