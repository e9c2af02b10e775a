-- A read table numbered: `line` is the line in the file (header = 1) before refused lines are counted.
CREATE TABLE {{table}} AS SELECT rowid + 2 AS line, *, false AS rejected FROM {{read}}
