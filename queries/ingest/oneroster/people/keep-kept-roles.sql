-- Roles ({{table}}: roles.csv, or a 1.1 users.csv) the mirror keeps: a deleting row, or a role kept (macros.sql).
UPDATE {{table}} SET keep = deleting OR ingest_staging.oneroster_kept_role(role)
