-- Moves the line numbers of a table past the lines the CSV reader refused.
UPDATE {{table}} SET line = line + (SELECT count(*) FROM temp.ingest_shift s WHERE s.threshold < {{table}}.line - 1)
