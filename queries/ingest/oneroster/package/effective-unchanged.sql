-- An entity after a package that has no file of it ({{into}}): the roster state's rows ({{state}}) but those a
-- bulk file's scope removes ({{removed}}).
CREATE TABLE {{into}} AS
SELECT {{key}}, {{columns}}, status, date_last_modified FROM {{state}} s
WHERE {{key}} NOT IN (SELECT {{key}} FROM {{removed}})
