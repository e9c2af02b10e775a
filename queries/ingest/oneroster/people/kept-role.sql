-- A roles.csv row whose user is checked: it carries content and a role the mirror keeps (macros.sql).
NOT deleting AND ingest_staging.oneroster_kept_role(role)
