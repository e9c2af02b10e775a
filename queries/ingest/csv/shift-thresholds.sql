-- The lines the CSV reader refused, as thresholds: accepted row k sits after the i-th refused line
-- (1-based) when k > line_i - 1 - i; $thresholds holds line_i - 2 - i.
CREATE TEMP TABLE ingest_shift AS SELECT unnest($thresholds::BIGINT[]) AS threshold
