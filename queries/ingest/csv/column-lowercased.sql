lower(ingest_staging.trimmed_or_null({{column}})) AS {{column}}
