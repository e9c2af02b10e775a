SELECT count(*) AS n FROM {{table}} WHERE rejected
