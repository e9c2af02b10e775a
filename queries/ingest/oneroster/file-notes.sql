-- For the batch report, of an entity file ({{table}}): rows ignored as older than the loaded ones, and valid
-- rows not kept (parents' roles ...).
SELECT count(*) FILTER (WHERE stale) AS stale, count(*) FILTER (WHERE NOT rejected AND NOT stale AND NOT keep) AS dropped
FROM {{table}}
