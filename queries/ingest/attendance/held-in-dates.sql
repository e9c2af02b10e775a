-- Whether the warehouse holds rows in the staged dates: none on a first load of a year, and then the load
-- has nothing to replace.
SELECT count(*) AS held FROM (SELECT 1 FROM main.attendance_records
WHERE day BETWEEN (SELECT min(first_day) FROM {{years}}) AND (SELECT max(last_day) FROM {{years}}) LIMIT 1)
