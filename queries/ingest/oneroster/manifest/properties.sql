-- The properties manifest.csv gives ({{table}}: its rows, validated), in file order.
SELECT line, "propertyName", value FROM {{table}} WHERE NOT rejected AND "propertyName" IS NOT NULL ORDER BY line
