-- A delta row older than the roster state's row ({{state}}) for the same key ({{key}}) is stale: not applied,
-- a warning (../rules/older-rules.sql).
UPDATE {{table}} t SET stale = true FROM {{state}} s
WHERE s.{{key}} = t.{{key}} AND NOT t.rejected AND t.dlm < s.date_last_modified
