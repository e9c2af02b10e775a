-- The statements of an NDJSON file, one a line (src/ingest/feeds/xapi/read-statements.ts): one VARCHAR per
-- line (\x01 cannot occur unescaped in JSON, so no line is ever split); blank lines hold no statement (a
-- regex, not trim(): trim() reads the whole, possibly long, text). $max_bytes: the biggest statement, also
-- the reader's buffer (by default 16 times the longest line: 1 GiB here, which alone broke a 1 GB limit).
SELECT j, line FROM read_csv($path, columns = {'j': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '',
                             auto_detect = false, max_line_size = $max_bytes, buffer_size = $max_bytes)
                    WITH ORDINALITY AS s(j, line)
WHERE j IS NOT NULL AND NOT regexp_full_match(j, '\s*')
