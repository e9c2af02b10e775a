-- A package's load: the winning rows of an entity file ({{table}}) into its mirror ({{mirror}}); a deleting
-- row becomes a tombstone. How many rows were written is counted by mirror-count.sql.
INSERT INTO {{mirror}} ({{key}}, {{columns}}, status, date_last_modified, batch_id)
SELECT {{key}}, {{columns}}, CASE WHEN deleting THEN 'tobedeleted' ELSE 'active' END, dlm, $batch FROM {{table}} WHERE wins
