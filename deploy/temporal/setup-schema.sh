#!/bin/sh
# Creates (or brings up to date) the two PostgreSQL databases of kernel-rollout's Temporal server:
# `temporal` (persistence) and `temporal_visibility` (visibility, where the search attributes
# live), with Temporal's own schema tool and the schema files that ship with the server.
# Idempotent: run it before every server start, and after every server upgrade (it applies only
# the versions the databases lack).
#
# docker-compose.yml runs it in the admin-tools image; `npm run test:prod` runs it with the tool
# built from Go. Environment (defaults in brackets):
#   POSTGRES_SEEDS [127.0.0.1]  DB_PORT [5432]  POSTGRES_USER [temporal]
#   POSTGRES_PWD or POSTGRES_PWD_FILE   the password (handed to the tool as SQL_PASSWORD, never in argv)
#   TEMPORAL_SQL_TOOL [temporal-sql-tool]
#   TEMPORAL_SCHEMA_DIR [/etc/temporal/schema/postgresql/v12]   (…/temporal, …/visibility)
set -eu
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
schema=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
if [ -z "${POSTGRES_PWD:-}" ] && [ -n "${POSTGRES_PWD_FILE:-}" ]; then
  POSTGRES_PWD=$(cat "$POSTGRES_PWD_FILE")
fi
: "${POSTGRES_PWD:?POSTGRES_PWD or POSTGRES_PWD_FILE is required}"
SQL_PASSWORD=$POSTGRES_PWD
export SQL_PASSWORD

sql() {
  "$tool" --plugin postgres12 --endpoint "${POSTGRES_SEEDS:-127.0.0.1}" --port "${DB_PORT:-5432}" \
    --user "${POSTGRES_USER:-temporal}" "$@"
}

for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=$schema/${pair#*:}/versioned
  [ -d "$dir" ] || {
    echo "setup-schema: $dir is missing (TEMPORAL_SCHEMA_DIR)" >&2
    exit 1
  }
  # create-database fails when the database exists: that is the idempotent case.
  sql --database "$db" create-database >/dev/null 2>&1 || true
  # setup-schema -v 0.0 creates the version table (a no-op when it is there); update-schema applies
  # every versioned step the database does not have yet.
  sql --database "$db" setup-schema -v 0.0
  sql --database "$db" update-schema -d "$dir"
  echo "setup-schema: $db is up to date"
done
