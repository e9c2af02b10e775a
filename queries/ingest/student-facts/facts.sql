-- The staged rows, copied once from the read (joined only to the small map raw ID → sid): line, rejected,
-- every CSV column but student_id (cleaned: {{others}}), sid, the typed date as `day`, academic_year.
CREATE TABLE {{table}} AS
SELECT line, false AS rejected, * EXCLUDE (line), ingest_staging.academic_year_of(day) AS academic_year FROM (
  SELECT r.line, r.* EXCLUDE (line, student_id),
         r.student_id IS NULL OR coalesce(m.blank, false) AS student_id_missing,
         coalesce(m.not_pseudonym, false) AS student_id_not_pseudonym,
         m.sid,
         TRY_CAST(r.{{date}} AS DATE) AS day
  FROM (SELECT rowid + 2 AS line, student_id, {{others}} FROM {{raw}}) r
  LEFT JOIN {{ids}} m ON m.raw = r.student_id)
