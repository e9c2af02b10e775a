-- Whether a table holds a row of the batch.
SELECT 1 AS found FROM {{table}} WHERE batch_id = $1 LIMIT 1
