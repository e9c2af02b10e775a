-- The statements of one file into a staging table (src/ingest/feeds/xapi/read-statements.ts, which says what
-- each column is; STATEMENT_FIELDS there lists the paths below, in this order). {{source}}: read-lines.sql or
-- read-document.sql. Each field is kept as text with its JSON type, so that rules can tell "0.5" from 0.5.
-- `actor` is the raw ID (account.name, else mbox), pseudonymised next and never copied further;
-- `content_key`: the statement's SHA-256 when it has no id (same text, whitespace aside, same key).
CREATE TABLE {{table}} AS
SELECT *,
       CASE WHEN account_name_type = 'VARCHAR' AND trim(account_name) <> '' THEN account_name
            WHEN mbox_type = 'VARCHAR' AND trim(mbox) <> '' THEN mbox END AS actor,
       CASE WHEN account_name_type = 'VARCHAR' AND trim(account_name) <> '' THEN 'account'
            WHEN mbox_type = 'VARCHAR' AND trim(mbox) <> '' THEN 'mbox' END AS actor_source
FROM (
  SELECT line, false AS rejected, v IS NOT NULL AS json_ok, v IS NOT NULL AND regexp_matches(j, '^\s*\{') AS is_object,
         -- A key twice at the top (two "result"s): which one counts is up to the parser, so the statement is refused.
         coalesce(len(top_keys) <> len(list_distinct(top_keys)), false) AS repeats_key,
         v[1] ->> '$' AS statement_id, json_type(v[1]) AS statement_id_type,
         v[2] ->> '$' AS account_name, json_type(v[2]) AS account_name_type,
         v[3] ->> '$' AS mbox, json_type(v[3]) AS mbox_type,
         v[4] ->> '$' AS verb_id, json_type(v[4]) AS verb_id_type,
         v[5] ->> '$' AS object_type, json_type(v[5]) AS object_type_type,
         v[6] ->> '$' AS activity_id, json_type(v[6]) AS activity_id_type,
         v[7] ->> '$' AS activity_type, json_type(v[7]) AS activity_type_type,
         v[8] ->> '$' AS ts, json_type(v[8]) AS ts_type,
         v[9] ->> '$' AS duration, json_type(v[9]) AS duration_type,
         v[10] ->> '$' AS score_scaled, json_type(v[10]) AS score_scaled_type,
         v[11] ->> '$' AS score_raw, json_type(v[11]) AS score_raw_type,
         v[12] ->> '$' AS success, json_type(v[12]) AS success_type,
         v[13] ->> '$' AS completion, json_type(v[13]) AS completion_type,
         v[14] ->> '$' AS result, json_type(v[14]) AS result_type,
         CASE WHEN v IS NOT NULL AND regexp_matches(j, '^\s*\{') AND (v[1] IS NULL OR json_type(v[1]) = 'NULL')
              THEN sha256(CAST(json(j) AS VARCHAR)) END AS content_key
  FROM (SELECT line, j,
               try(json_extract(j, ['$.id', '$.actor.account.name', '$.actor.mbox', '$.verb.id', '$.object.objectType',
                                    '$.object.id', '$.object.definition.type', '$.timestamp', '$.result.duration',
                                    '$.result.score.scaled', '$.result.score.raw', '$.result.success',
                                    '$.result.completion', '$.result'])) AS v,
               try(json_keys(j)) AS top_keys
        FROM ({{source}})))
