-- A CSV file into a staging table, as the rows come (no window function: a row_number() over 20 M rows
-- runs on one thread; rows are numbered by rowid, which follows the file's order). Every value is bound:
-- the path, the header's columns with their types, the names of the reader's rejects tables.
CREATE TABLE {{table}} AS
SELECT {{select}}
FROM read_csv($path, header = true, columns = $columns, quote = '"', escape = '"', auto_detect = false, delim = ',',
              store_rejects = true, rejects_table = $rejects_table, rejects_scan = $rejects_scan)
