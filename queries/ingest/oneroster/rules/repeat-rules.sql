-- Rows of a table ({{table}}) that repeat an earlier row's natural key ({{key}}; {{column}}: its column as the
-- file names it): an error on the later rows (the first one stands). The aggregate finds the repeated keys
-- (a parallel hash aggregate); the window runs over their rows only.

-- @rule repeated
-- @severity error
-- @column {{column}}
-- @says_code oneroster.repeat
-- @param key {{column}}
-- @value NULL
-- @when
line IN (SELECT line FROM (SELECT line, min(line) OVER (PARTITION BY {{key}}) AS first_line FROM {{table}}
                WHERE ({{key}}) IN (SELECT ({{key}}) FROM {{table}} WHERE {{key}} IS NOT NULL GROUP BY ALL HAVING count(*) > 1))
                WHERE line <> first_line);
