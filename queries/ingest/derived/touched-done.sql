DROP TABLE temp.derived_touched
