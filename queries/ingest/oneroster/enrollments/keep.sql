-- Enrollments the mirror keeps ({{table}}): a deleting row, or a kept role (macros.sql) of a user active after
-- this package ({{users}}). Enrollments of parents (1.1 allows them) and of users not kept are dropped.
UPDATE {{table}} SET keep = deleting OR (ingest_staging.oneroster_kept_enrollment_role(role)
  AND user_pid IN (SELECT user_pid FROM {{users}} WHERE status = 'active'))
