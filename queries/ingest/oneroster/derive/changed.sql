-- The keys ({{key}}) of an entity this package changes: those a bulk file removes ({{removed}}) and its winning
-- rows ({{table}}).
(SELECT {{key}} FROM {{removed}} UNION SELECT {{key}} FROM {{table}} WHERE wins)
