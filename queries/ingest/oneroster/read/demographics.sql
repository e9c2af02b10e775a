-- demographics.csv's raw rows ({{raw}}, sourcedId pseudonymised into ingest_staging.pid_map) as its package table
-- ({{table}}; {{common}}: ../package/common-columns.sql): sex, and the birth date cut to year and month at once
-- (the full date never leaves this statement). `shirube pseudonymize` has already cut the date to YYYY-MM: with
-- $pre (a pre-pseudonymised package) that shape is accepted too.
CREATE TABLE {{table}} AS
SELECT {{common}}, m.pid AS user_pid, r.sex,
       CASE WHEN (regexp_full_match(r."birthDate", '\d{4}-\d{2}-\d{2}') OR ($pre AND regexp_full_match(r."birthDate", '\d{4}-\d{2}')))
                 AND TRY_CAST(rpad(r."birthDate", 10, '-01') AS DATE) IS NOT NULL THEN left(r."birthDate", 7) END AS birth_year_month,
       r."birthDate" IS NOT NULL AS birth_date_given
FROM {{raw}} r LEFT JOIN ingest_staging.pid_map m ON m.raw = r."sourcedId"
