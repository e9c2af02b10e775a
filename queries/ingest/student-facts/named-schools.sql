CREATE TABLE {{named}} AS SELECT DISTINCT school_code FROM {{combos}} WHERE school_code IS NOT NULL
