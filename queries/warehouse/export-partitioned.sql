-- A table with a school year and a school, as hive partitions under the folder $1.
COPY {{table}} TO $1 (FORMAT parquet, PARTITION_BY (academic_year, school_code), OVERWRITE_OR_IGNORE true)
