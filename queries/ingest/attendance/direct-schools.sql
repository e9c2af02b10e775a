-- The schools a row may name, by number: the known ones. A row of any other school finds no number and is
-- not written, which declines the direct load; the rules check the schools of the rows written.
CREATE TABLE {{schools}} AS SELECT school_ref, school_code FROM ingest_staging.known_school_refs
