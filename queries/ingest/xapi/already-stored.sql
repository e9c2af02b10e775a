-- The statements of {{table}} the warehouse already holds: how many, and the first row.
SELECT count(*) AS n, min(line) AS first FROM {{table}} WHERE skip = 'warehouse'
