-- The rewritten CSV, to the path bound.
COPY (SELECT {{columns}} FROM input) TO $1 (HEADER, DELIMITER ',', QUOTE '"')
