-- Applies rules in one scan of a staged table: each row gets the list of rules it breaks, unnested into
-- problems (src/ingest/staging/rule-engine.ts). {{hits}}: one hit.sql per rule; {{any}}: the rules'
-- conditions joined with OR.
INSERT INTO ingest_staging.problems
SELECT hit.severity, $file, line, hit.col, hit.value, hit.rule, hit.code, hit.params
FROM (SELECT line, unnest(list_filter([{{hits}}], x -> x IS NOT NULL)) AS hit
      FROM {{table}} WHERE {{any}})
