-- An entity as it will be after this package ({{into}}): the roster state's rows ({{state}}) neither replaced
-- by a winning row of the package table ({{table}}) nor removed by a bulk file's scope ({{removed}}), plus the
-- winning rows (a deleting row becomes a tombstone).
CREATE TABLE {{into}} AS
SELECT {{key}}, {{columns}}, status, date_last_modified FROM {{state}} s
WHERE NOT EXISTS (SELECT 1 FROM {{table}} t WHERE t.wins AND t.{{key}} = s.{{key}})
  AND {{key}} NOT IN (SELECT {{key}} FROM {{removed}})
UNION ALL
SELECT {{key}}, {{columns}}, CASE WHEN deleting THEN 'tobedeleted' ELSE 'active' END, dlm FROM {{table}} WHERE wins
