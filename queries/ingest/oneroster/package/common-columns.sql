-- The columns every package table starts with (src/ingest/feeds/oneroster/package-table.ts), read from a
-- raw CSV table aliased `r`: line and rejected; stale (older than the roster state: ignored), keep (an entity
-- the mirror stores) and wins (applied to the mirror), set later; status and "dateLastModified" as written
-- (for problem values), dlm parsed, and deleting: a row of a delta file ($delta) with status tobedeleted.
r.line, r.rejected, false AS stale, true AS keep, false AS wins, r.status, r."dateLastModified",
TRY_CAST(r."dateLastModified" AS TIMESTAMPTZ) AS dlm,
$delta AND coalesce(r.status = 'tobedeleted', false) AS deleting
