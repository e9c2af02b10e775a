-- What the xAPI files of one batch share in staging (src/ingest/feeds/xapi*): the seconds of each duration
-- text (parsed in Node: one parser, one set of rules), the ids given to statements that came without one
-- (not through pid_map: its primary key makes a million inserts slow, and these are no person IDs), and the
-- statement ids the batch's earlier files had.
CREATE TABLE IF NOT EXISTS ingest_staging.xapi_durations (text VARCHAR PRIMARY KEY, seconds DOUBLE);
CREATE TABLE IF NOT EXISTS ingest_staging.xapi_derived_ids (content_key VARCHAR, statement_id VARCHAR);
CREATE TABLE IF NOT EXISTS ingest_staging.xapi_seen (statement_id VARCHAR, file VARCHAR, line BIGINT);
