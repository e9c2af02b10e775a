-- A date DuckDB reads though it is not written YYYY-MM-DD (2025/04/01, 2025-4-1, 2025-04-01T09:00):
-- loaded as read, with a warning that shows how it was read. {{date}}: the column as written; {{day}}:
-- the date read from it.

-- @rule date_form
-- @severity warning
-- @column {{date}}
-- @applies file
-- @value {{date}} || ' → ' || CAST({{day}} AS VARCHAR)
-- @says_ja 日付が YYYY-MM-DD の形ではありません。矢印の後の日付として読み込みました
-- @says date not written YYYY-MM-DD: loaded as the date after the arrow
-- @when
{{date}} IS NOT NULL AND {{day}} IS NOT NULL AND NOT ({{date}} LIKE '____-__-__');
