#!/usr/bin/env bash
# The README's production steps ("Production", without Docker), run as CI runs them: a new pseudonym key,
# migrations as the owner, the server as a role that owns nothing, behind the documented settings (loopback,
# one trusted TLS proxy, the passwords from files), its health, a Secure session cookie behind the proxy, a backup taken while it runs.
# Needs PostgreSQL (DATABASE_ADMIN_URL, default CI's postgres://postgres@127.0.0.1:5432/postgres) and a build.
set -euo pipefail
cd "$(dirname "$0")/.."
shirube() { node bin/shirube.js "$@"; }

admin_url=${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
work=$(mktemp -d)
database="shirube_smoke_$$"
app_role="shirube_smoke_app_$$"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$admin_url" -qc "DROP ROLE IF EXISTS $app_role" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "production-smoke: $*" >&2; [ -f "$work/server.log" ] && tail -20 "$work/server.log" >&2; exit 1; }

psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
admin_user=$(node -e 'console.log(new URL(process.argv[1]).username)' "$admin_url")
# The role Shirube serves as owns nothing (README, "Database roles"); the owner migrates.
psql "$admin_url" -qc "CREATE ROLE $app_role LOGIN" >/dev/null

# The settings, as the README's production section sets them (paths under a temporary folder here).
install -d -m 700 "$work/etc" "$work/lib" "$work/backups"
printf '%s\n' "not-a-real-password" > "$work/etc/postgres_password"   # CI's PostgreSQL trusts local connections
printf '%s\n' "not-a-real-password" > "$work/etc/shirube_app_password"
export DATABASE_URL="postgres://${app_role}@127.0.0.1:5432/${database}"
export DATABASE_PASSWORD_FILE="$work/etc/shirube_app_password"
export DATABASE_MIGRATION_URL="postgres://${admin_user}@127.0.0.1:5432/${database}"
export DATABASE_MIGRATION_PASSWORD_FILE="$work/etc/postgres_password"
export PSEUDONYM_KEY_FILE="$work/etc/pseudonym.key"
export DUCKDB_PATH="$work/lib/warehouse.duckdb"
export SHIRUBE_BACKUP_DIR="$work/backups"
export HOST=127.0.0.1 PORT=0 SHIRUBE_TRUST_PROXY=1

# 1. The pseudonym key: mode 0600, never replaced.
shirube key create | grep -q 'Back this key up now' || fail "key create did not warn to back the key up"
[ "$(stat -c %a "$PSEUDONYM_KEY_FILE")" = 600 ] || fail "the key is not mode 0600"
if shirube key create >/dev/null 2>&1; then fail "key create replaced an existing key"; fi

# 2. Migrations, both stores.
shirube migrate

# 3. The server, and its health within a minute.
shirube serve >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 60); do
  url=$(grep -o 'listening on http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/listening on //' || true)
  [ -n "$url" ] && node bin/healthcheck.js "$url/api/health" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server stopped"
  url=""
  sleep 1
done
[ -n "$url" ] || fail "the server was not healthy within a minute"
echo "production-smoke: healthy at $url"

# 4. Behind the TLS proxy (X-Forwarded-Proto: https), the session cookie is Secure.
token=$(shirube user create --role board_admin --name smoke-admin --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token.secret))')
node -e '
  const [url, token] = process.argv.slice(1);
  const origin = `https://${new URL(url).host}`;
  const r = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-proto": "https", origin }, body: JSON.stringify({ token }) });
  const cookie = r.headers.get("set-cookie") ?? "";
  if (r.status !== 200 || !/;\s*Secure/i.test(cookie)) { console.error(`login behind the proxy: ${r.status}, cookie not Secure`); process.exit(1); }
' --input-type=module "$url" "$token" || fail "no Secure cookie behind the proxy"

# 5. A backup while the server runs (it goes through the server), with its manifest.
shirube backup --out "$work/backups/nightly" >/dev/null
[ -f "$work/backups/nightly/manifest.json" ] || fail "the backup has no manifest"
grep -q '"included": false' "$work/backups/nightly/manifest.json" || fail "the manifest does not say the key is not included"

echo "production-smoke: key, migrations, server, health, Secure cookie behind the proxy, backup: ok"
