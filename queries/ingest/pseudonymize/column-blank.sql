NULL AS {{column}}
