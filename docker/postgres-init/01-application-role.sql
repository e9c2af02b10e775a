-- The role Shirube serves as (DATABASE_URL). It owns nothing: Shirube's migrations run as the owner
-- (DATABASE_MIGRATION_URL) and grant it only what it needs, so it cannot rewrite the audit log.
-- Runs once, when the database volume is created; on an existing volume, run it by hand.
CREATE ROLE shirube_app LOGIN PASSWORD 'shirube_app';
