-- Rows in the file, and IDs that stop a direct load: blank, or (pre-pseudonymised input) not a pseudonym.
SELECT sum(rows) AS rows, count(*) FILTER (WHERE id IS NULL) AS blank,
       count(*) FILTER (WHERE NOT regexp_full_match(id, '[0-9a-f]{64}')) AS not_pseudonym FROM {{read_ids}}
