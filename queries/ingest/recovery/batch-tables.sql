-- The warehouse's base tables with a batch_id (a view, attendance_days, shows the rows its storage table holds).
SELECT DISTINCT c.table_name FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.column_name = 'batch_id' AND c.table_schema = 'main'
