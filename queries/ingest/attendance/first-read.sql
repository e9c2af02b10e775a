-- The direct load's first read of a file (src/ingest/feeds/attendance-direct.ts): its distinct student
-- IDs as read, with their rows and, for a plain ID (starts and ends with a printable ASCII character),
-- its pseudonym: the HMAC-SHA256 of Pseudonymizer.pseudonym, the key's pads bound ($inner, $outer; NULL
-- for pre-pseudonymised input). Runs on a reader while the file is hashed: no staging macro here.
SELECT raw, rows,
       CASE WHEN $outer IS NOT NULL AND raw[1] BETWEEN '!' AND '~' AND raw[-1] BETWEEN '!' AND '~'
            THEN sha256($outer || unhex(sha256($inner || encode(raw)))) END AS pid
FROM (SELECT student_id AS raw, count(*) AS rows
      FROM read_csv($path, header = true, columns = $columns, quote = '"', escape = '"', auto_detect = false, delim = ',')
      GROUP BY ALL)
