-- After validation: the rows of a package table that will be applied to the mirror.
UPDATE {{table}} SET wins = NOT rejected AND NOT stale AND keep
