-- A new table's rowids are 0 .. n-1: each slice is a range of them.
SELECT * FROM {{table}} WHERE rowid >= $1 AND rowid < $2
