DROP TABLE temp.ingest_shift
