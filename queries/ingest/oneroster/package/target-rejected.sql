-- The IDs ({{key}}) of a package table's rows ({{table}}) that were rejected: a reference to one names the
-- defect where it is.
(SELECT {{key}} FROM {{table}} WHERE rejected AND {{key}} IS NOT NULL)
