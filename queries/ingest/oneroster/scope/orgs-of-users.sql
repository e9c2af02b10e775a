-- The orgs the rows of a users.csv ({{table}}) name.
(SELECT unnest(org_ids) FROM {{table}} WHERE NOT rejected)
