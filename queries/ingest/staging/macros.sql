-- `nullif(trim(x), '')`, with trim only where it can change the value. trim() allocates a new string for
-- every value (most of a CSV read's time at scale); it removes the Unicode space separators (U+0020 and
-- non-ASCII ones) at either end, so a value that starts and ends with a printable ASCII character is
-- left as it is.
CREATE MACRO ingest_staging.trimmed_or_null(x) AS
nullif(CASE WHEN x < '!' OR x >= chr(128) OR x LIKE '% ' OR NOT x[-1] < chr(128) THEN trim(x) ELSE x END, '');
-- 年度: the Japanese school year of a date (April to March).
CREATE MACRO ingest_staging.academic_year_of(d) AS (year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END);
-- Whether an ID starts and ends with a printable ASCII character. Such an ID is trimmed alike by any
-- notion of space, so its pseudonym may be computed in SQL exactly as Pseudonymizer.pseudonym does.
CREATE MACRO ingest_staging.plain_id(id) AS (id[1] BETWEEN '!' AND '~' AND id[-1] BETWEEN '!' AND '~');
-- HMAC-SHA256 (hex) of an ID, the key's pads (Pseudonymizer.hmacPads) bound as BLOB values.
CREATE MACRO ingest_staging.hmac_hex(id, inner_pad, outer_pad) AS sha256(outer_pad || unhex(sha256(inner_pad || encode(id))));
-- A date's 63-day span (its day number from 1970-01-01, in spans of 63) and its bit within the span: a
-- span's days are the bits of a BIGINT (bit_or of single bits is far cheaper than a bitstring aggregate),
-- so repeated and off-calendar days are found by OR-ing and counting bits. An earlier date counts as
-- 1970-01-01 here (it can only make days look repeated, which the rows then show they are not).
-- (NULL for no date: greatest() would take 0 for it.)
CREATE MACRO ingest_staging.day_number(d) AS (CASE WHEN d < DATE '1970-01-01' THEN 0 ELSE d - DATE '1970-01-01' END);
CREATE MACRO ingest_staging.span(d) AS (ingest_staging.day_number(d) // 63);
CREATE MACRO ingest_staging.span_bit(d) AS (1::BIGINT << (ingest_staging.day_number(d) % 63));
