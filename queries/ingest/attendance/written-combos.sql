-- The rows a direct load just wrote, by student, school, school year and 63-day span, with the columns of
-- the staged combinations (queries/ingest/student-facts/combos.sql) that the rules' guards read, and
-- `rule_rows`: the rows that break a rule without a guard ({{row_rules}}, from the rules files).
CREATE TABLE {{combos}} AS
SELECT c.*, s.school_code FROM (
  SELECT sid, school_ref, academic_year, ingest_staging.span(day) AS span, count(*) AS rows, count(day) AS dated_rows,
         min(day) AS first_day, max(day) AS last_day, bit_or(ingest_staging.span_bit(day)) AS days,
         count(*) FILTER (WHERE {{row_rules}}) AS rule_rows
  FROM (SELECT student_ref AS sid, school_ref, day, academic_year, status, reason, place
        FROM main.attendance_records WHERE batch_ref = $1::INTEGER)
  GROUP BY ALL
) c JOIN {{schools}} s ON s.school_ref = c.school_ref
