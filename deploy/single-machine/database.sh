#!/bin/sh
# Step 1: the database. In a running PostgreSQL (Debian's `postgresql` package, or any other),
# as its superuser: the role POSTGRES_USER with the password from POSTGRES_PWD_FILE (made, 0600,
# from 24 random bytes when it does not exist) and the two databases it owns, `temporal` and
# `temporal_visibility`. Idempotent: run again, the password is set again from the file.
# The password goes to psql on its standard input, never in an argument.
#   KERNEL_ROLLOUT_ENV=/etc/kernel-rollout/kernel-rollout.env sh deploy/single-machine/database.sh
. "$(dirname "$0")/settings.sh"

if [ ! -f "$POSTGRES_PWD_FILE" ]; then
  mkdir -p "$(dirname "$POSTGRES_PWD_FILE")"
  (umask 077 && openssl rand -base64 24 >"$POSTGRES_PWD_FILE")
  echo "database: made $POSTGRES_PWD_FILE"
fi
chmod 600 "$POSTGRES_PWD_FILE"
password=$(cat "$POSTGRES_PWD_FILE")
# Quoted as SQL literals below: refuse what the quoting does not cover.
case $password in *"'"* | *'\'*) echo "database: POSTGRES_PWD_FILE holds a quote or backslash" >&2 && exit 2 ;; esac
case $POSTGRES_USER in *[!a-z0-9_]* | '') echo "database: POSTGRES_USER must be [a-z0-9_]+" >&2 && exit 2 ;; esac

case $POSTGRES_ADMIN_USER in *[!a-z0-9_-]* | '') echo "database: POSTGRES_ADMIN_USER must be [a-z0-9_-]+" >&2 && exit 2 ;; esac
# psql as PostgreSQL's superuser: this user already, else through runuser.
psql_admin() {
  if [ "$(id -un)" = "$POSTGRES_ADMIN_USER" ]; then psql "$@"; else runuser -u "$POSTGRES_ADMIN_USER" -- psql "$@"; fi
}
psql_admin -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_ADMIN_HOST" -p "$DB_PORT" -d postgres <<SQL
SELECT format('CREATE ROLE %I LOGIN', '$POSTGRES_USER')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$POSTGRES_USER') \gexec
SET password_encryption = 'scram-sha-256';
ALTER ROLE "$POSTGRES_USER" WITH LOGIN PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', d, '$POSTGRES_USER')
  FROM unnest(ARRAY['temporal', 'temporal_visibility']) AS d
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
echo "database: role $POSTGRES_USER and databases temporal, temporal_visibility on port $DB_PORT"
