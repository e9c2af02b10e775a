-- What a reference may name: the IDs ({{key}}) active in an effective table ({{table}}).
(SELECT {{key}} FROM {{table}} WHERE status = 'active')
