-- Numbers every school known to the warehouse or this batch that has no number yet (school_refs: the
-- school of a daily attendance row is stored as its number), kept in new_school_refs for the rest of the
-- batch; a feed that stores school_ref writes them at load (write-new-refs.sql).
INSERT INTO ingest_staging.new_school_refs
WITH known AS (SELECT school_ref, school_code FROM ingest_staging.known_school_refs)
SELECT CAST((SELECT coalesce(max(school_ref), 0) FROM known) + row_number() OVER (ORDER BY school_code) AS INTEGER), school_code
FROM (SELECT school_code FROM ingest_staging.known_schools WHERE school_code NOT IN (SELECT school_code FROM known))
