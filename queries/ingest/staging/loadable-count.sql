SELECT count(*) AS n FROM {{table}} WHERE NOT rejected
