-- The warehouse's tables and views to export, with their columns (a school and a school year: partitioned).
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = 'main' AND table_name <> 'warehouse_migrations' ORDER BY table_name, ordinal_position
