-- A package's load: the keys of an entity's mirror ({{mirror}}, key {{key}}) that a bulk file removes
-- ({{removed}}) or that a winning row of the package ({{table}}) replaces go.
DELETE FROM {{mirror}} WHERE {{key}} IN (SELECT {{key}} FROM {{removed}}) OR {{key}} IN (SELECT {{key}} FROM {{table}} WHERE wins)
