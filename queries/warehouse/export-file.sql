-- Any other table, as one Parquet file ($1).
COPY {{table}} TO $1 (FORMAT parquet)
