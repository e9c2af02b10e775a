-- The batch's roster state of an entity ({{state}}): the warehouse mirror ({{mirror}}), made once per batch
-- (the first package staged); each package of the batch then advances it (../advance-state.sql).
CREATE TABLE IF NOT EXISTS {{state}} AS SELECT {{key}}, {{columns}}, status, date_last_modified FROM {{mirror}}
