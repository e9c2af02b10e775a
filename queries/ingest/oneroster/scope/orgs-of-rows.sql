-- The orgs the rows of a classes, roles or enrollments file ({{table}}) name.
(SELECT org_id FROM {{table}} WHERE NOT rejected)
