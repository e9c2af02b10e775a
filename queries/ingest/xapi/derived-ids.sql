-- The valid statements of {{table}} that were given an id from their content: how many, and the first row.
SELECT count(*) AS n, min(line) AS first FROM {{table}} WHERE statement_id_derived AND NOT rejected
