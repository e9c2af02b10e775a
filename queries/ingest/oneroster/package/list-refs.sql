-- One row (line, id) per ID that a comma-list column ({{list}}) of a package table ({{table}}) names, on the
-- rows that carry content: what ../rules/list-reference-rules.sql checks.
CREATE TABLE {{into}} AS SELECT line, unnest({{list}}) AS id FROM {{table}} WHERE NOT deleting
