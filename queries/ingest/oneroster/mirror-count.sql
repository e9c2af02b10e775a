-- The winning rows of an entity file ({{table}}): what its load applies.
SELECT count(*) AS n FROM {{table}} WHERE wins
