-- `shirube pseudonymize`: a CSV to rewrite, every column VARCHAR (path and columns bound).
CREATE TABLE input AS SELECT * FROM read_csv($path, header = true, columns = $columns, auto_detect = false, quote = '"', escape = '"')
