-- The next package of the batch sees the roster as this one leaves it: an entity's state ({{state}}) becomes
-- its effective table ({{effective}}).
CREATE OR REPLACE TABLE {{state}} AS SELECT * FROM {{effective}}
