-- The same HMAC-SHA256 as Pseudonymizer.pseudonym, in DuckDB, on its threads and without carrying the
-- IDs to Node and back, for every ID that starts and ends with a printable ASCII character (nearly all):
-- the pseudonym trims the ID, and such an ID is trimmed alike whatever counts as a space. The key's pads
-- are bound values, never written anywhere.
INSERT INTO ingest_staging.pid_map
SELECT raw, ingest_staging.hmac_hex(raw, $inner, $outer) FROM ({{unmapped}}) WHERE ingest_staging.plain_id(raw)
