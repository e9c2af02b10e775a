lower({{column}}) AS {{column}}
