-- Lines the CSV reader refused (wrong number of fields, bad quoting).
SELECT DISTINCT ON (line) line, column_name, error_type FROM {{rejects}} ORDER BY line
