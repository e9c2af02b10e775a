-- Whether the warehouse holds another batch's rows in the dates written (rows of no known batch, an older
-- warehouse's, are earlier rows too): none on the usual first load of a year.
SELECT count(*) AS held FROM (SELECT 1 FROM main.attendance_records a
WHERE a.day BETWEEN (SELECT min(first_day) FROM {{years}}) AND (SELECT max(last_day) FROM {{years}})
  AND a.batch_ref IS DISTINCT FROM $1::INTEGER LIMIT 1)
