-- The content keys of {{raw}}'s statements without an id that have no id yet (each once): given one in Node
-- (the keyed pseudonym of the key, never a plain hash: the content holds the actor's ID).
SELECT DISTINCT content_key FROM {{raw}}
WHERE content_key IS NOT NULL AND content_key NOT IN (SELECT content_key FROM ingest_staging.xapi_derived_ids)
