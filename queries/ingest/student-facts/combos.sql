-- The rows by student, school, school year and 63-day span (ingest_staging.span), in one pass: what the
-- rules' guards read instead of the rows (a few hundred thousand combinations for 20 M rows). `days`:
-- the span's days as bits.
CREATE TABLE {{combos}} AS
SELECT sid, school_code, academic_year, ingest_staging.span(day) AS span, count(*) AS rows, count(day) AS dated_rows,
       min(day) AS first_day, max(day) AS last_day, bit_or(ingest_staging.span_bit(day)) AS days
FROM {{rows}} GROUP BY ALL
