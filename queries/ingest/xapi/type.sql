-- From the raw statements (read.sql) to typed rows with no raw ID left (src/ingest/feeds/xapi/type-statements.ts):
-- the actor becomes actor_pid (its pseudonym) and student_pid (through the roster crosswalk, NULL when
-- unlinked); the school is the student's enrolment that school year (the lowest code if several: a transfer).
-- Text values are kept beside their typed value (ts_text, duration_text ...) for the rules to name. A field is
-- present when its JSON type is neither missing nor null; a number is a JSON number, a boolean a JSON boolean.
-- A statement without an id gets the one derived from its content (xapi_derived_ids). The school year (年度)
-- is that of the timestamp in Japan: UTC+9 all year (no daylight saving since 1951), plain arithmetic, 20
-- times faster than the ICU time zone functions. Timestamps: ISO 8601 to the second with a UTC offset.
CREATE TABLE {{table}} AS
WITH typed AS (
  SELECT r.line, r.rejected, r.json_ok, r.is_object, r.repeats_key,
         r.statement_id AS statement_id_text,
         (r.statement_id_type IS NOT NULL AND r.statement_id_type <> 'NULL') AS statement_id_present,
         r.statement_id_type = 'VARCHAR'
           AND regexp_full_match(trim(r.statement_id), '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')
           AS statement_id_valid,
         CASE WHEN r.content_key IS NOT NULL THEN di.statement_id
              ELSE lower(trim(CASE WHEN r.statement_id_type = 'VARCHAR' THEN r.statement_id END)) END AS statement_id,
         r.content_key IS NOT NULL AS statement_id_derived,
         r.actor_source,
         r.actor_source = 'mbox' AND NOT starts_with(r.actor, 'mailto:') AS actor_mbox_not_mailto,
         am.pid AS actor_pid, res.student_pid,
         r.verb_id AS verb_id_text, (r.verb_id_type IS NOT NULL AND r.verb_id_type <> 'NULL') AS verb_id_present,
         CASE WHEN r.verb_id_type = 'VARCHAR' THEN r.verb_id END AS verb_id,
         -- Only an Activity's id is kept: an Agent or Group as object would be a person.
         CASE WHEN r.object_type IS NULL OR r.object_type = 'Activity'
              THEN CASE WHEN r.activity_id_type = 'VARCHAR' THEN r.activity_id END END AS activity_id,
         CASE WHEN r.object_type IS NULL OR r.object_type = 'Activity'
              THEN CASE WHEN r.activity_type_type = 'VARCHAR' THEN r.activity_type END END AS activity_type,
         r.ts AS ts_text, (r.ts_type IS NOT NULL AND r.ts_type <> 'NULL') AS ts_present,
         CASE WHEN r.ts_type = 'VARCHAR'
                   AND regexp_full_match(r.ts, '\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)')
              THEN TRY_CAST(r.ts AS TIMESTAMPTZ) END AS ts,
         r.duration AS duration_text, (r.duration_type IS NOT NULL AND r.duration_type <> 'NULL') AS duration_present,
         CASE WHEN r.duration_type = 'VARCHAR' THEN d.seconds END AS duration_s,
         r.score_scaled AS score_scaled_text, (r.score_scaled_type IS NOT NULL AND r.score_scaled_type <> 'NULL') AS score_scaled_present,
         CASE WHEN r.score_scaled_type IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN TRY_CAST(r.score_scaled AS DOUBLE) END
           AS score_scaled,
         r.score_raw AS score_raw_text, (r.score_raw_type IS NOT NULL AND r.score_raw_type <> 'NULL') AS score_raw_present,
         CASE WHEN r.score_raw_type IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN TRY_CAST(r.score_raw AS DOUBLE) END AS score_raw,
         r.success AS success_text, (r.success_type IS NOT NULL AND r.success_type <> 'NULL') AS success_present,
         CASE WHEN r.success_type = 'BOOLEAN' THEN r.success = 'true' END AS success,
         r.completion AS completion_text, (r.completion_type IS NOT NULL AND r.completion_type <> 'NULL') AS completion_present,
         CASE WHEN r.completion_type = 'BOOLEAN' THEN r.completion = 'true' END AS completion,
         -- xAPI's result is an object (its score, success, completion, duration): anything else is no result.
         r.result_type IS NOT NULL AND r.result_type NOT IN ('OBJECT', 'NULL') AS result_not_object
  FROM {{raw}} r
  LEFT JOIN ingest_staging.pid_map am ON am.raw = r.actor
  LEFT JOIN ingest_staging.resolver res ON res.pid = am.pid
  LEFT JOIN ingest_staging.xapi_derived_ids di ON di.content_key = r.content_key
  LEFT JOIN ingest_staging.xapi_durations d ON d.text = r.duration
), dated AS (
  SELECT *, ingest_staging.academic_year_of(make_timestamp(epoch_us(ts) + CAST(32400000000 AS BIGINT))) AS academic_year
  FROM typed
)
SELECT dated.*, e.school_code,
       NULL::VARCHAR AS skip, NULL::BIGINT AS dup_of, NULL::VARCHAR AS dup_file
FROM dated
LEFT JOIN (SELECT student_pid, academic_year, min(school_code) AS school_code FROM ingest_staging.known_enrolments
           GROUP BY student_pid, academic_year) e
  ON e.student_pid = dated.student_pid AND e.academic_year = dated.academic_year
