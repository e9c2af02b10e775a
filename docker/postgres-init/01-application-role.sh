#!/bin/sh
# The role Shirube serves as (DATABASE_URL). It owns nothing: Shirube's migrations run as the owner
# (DATABASE_MIGRATION_URL) and grant it only what it needs, so it cannot rewrite the audit log.
# Its password comes from the Docker secret shirube_app_password; nothing is written in this file.
# Runs once, when the database volume is created; on an existing volume, run the statement by hand.
set -eu
password=$(cat /run/secrets/shirube_app_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$password" <<'SQL'
CREATE ROLE shirube_app LOGIN PASSWORD :'password';
SQL
