-- The batch's school days, for the later feeds of the batch (off-calendar days).
INSERT INTO ingest_staging.new_school_days SELECT DISTINCT school_code, day FROM {{rows}} WHERE NOT rejected
