-- The statements of a .json file: an array ($format 'array': streamed), a single statement, or statements
-- one after another ('auto'); `line` is the statement's position in the file.
SELECT CAST(j AS VARCHAR) AS j, line FROM read_json_objects($path, format = $format, maximum_object_size = $max_bytes)
WITH ORDINALITY AS s(j, line)
