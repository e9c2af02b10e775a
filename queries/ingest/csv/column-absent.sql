NULL::VARCHAR AS {{column}}
