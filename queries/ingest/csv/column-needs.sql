-- Whether a column's values need trimming or lowercasing, from its distinct values (trim allocates a new
-- string for every value: a column with no space at either end is used as it is).
SELECT bool_or(v <> trim(v)) AS trim, bool_or(v <> lower(v)) AS lower FROM (SELECT DISTINCT {{column}} AS v FROM {{table}})
