-- A package's load (src/ingest/feeds/oneroster/load.ts), in the batch's transaction: the keys of an entity's
-- mirror ({{mirror}}, key {{key}}) that a bulk file removes ({{removed}}) go.
DELETE FROM {{mirror}} WHERE {{key}} IN (SELECT {{key}} FROM {{removed}})
