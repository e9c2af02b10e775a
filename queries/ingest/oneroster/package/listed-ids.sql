-- The IDs ({{key}}) a package file lists ({{table}}), rejected rows and all: what a bulk file keeps.
(SELECT {{key}} FROM {{table}} WHERE {{key}} IS NOT NULL)
