-- The keys ({{key}}) of an entity of which the package has no file that it changes: those removed ({{removed}}).
(SELECT {{key}} FROM {{removed}})
