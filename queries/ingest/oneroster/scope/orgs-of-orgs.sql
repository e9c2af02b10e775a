-- The orgs an orgs.csv ({{table}}) names: its own rows that carry content.
(SELECT org_id AS id FROM {{table}} WHERE NOT rejected AND NOT deleting)
