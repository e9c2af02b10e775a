-- Each distinct student ID as read, and trimmed (the pseudonym is the trimmed ID's).
CREATE TABLE {{read_ids}} AS
SELECT raw, ingest_staging.trimmed_or_null(raw) AS id FROM (SELECT DISTINCT student_id AS raw FROM {{raw}} WHERE student_id IS NOT NULL)
