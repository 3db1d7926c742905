# Sourced by every script in deploy/single-machine/: loads the settings file and fills in the
# defaults. Not a program of its own.
#
# The settings file is $KERNEL_ROLLOUT_ENV [/etc/kernel-rollout/kernel-rollout.env], shell
# syntax (KEY=value; see kernel-rollout.env beside this file for every setting and its default).
# A variable already in the environment wins over the file: a systemd unit's Environment= (one
# worker's profile) or a test's per-process value. The settings are plain shell variables here;
# each script exports only what its own program reads.
set -eu
KERNEL_ROLLOUT_HOME=${KERNEL_ROLLOUT_HOME:-$(cd "$(dirname "$0")/../.." && pwd)}
kr_env=${KERNEL_ROLLOUT_ENV:-/etc/kernel-rollout/kernel-rollout.env}
if [ -f "$kr_env" ]; then
  kr_saved=$(export -p)
  # shellcheck disable=SC1090
  . "$kr_env"
  eval "$kr_saved"
  unset kr_saved
elif [ -n "${KERNEL_ROLLOUT_ENV:-}" ]; then
  echo "$(basename "$0"): the settings file $kr_env is missing" >&2
  exit 2
fi

# The defaults (kernel-rollout.env documents each).
: "${KERNEL_ROLLOUT_ETC:=/etc/kernel-rollout}"
: "${TEMPORAL_TLS_DIR:=$KERNEL_ROLLOUT_ETC/tls}"
: "${TEMPORAL_TLS_SERVER_NAME:=localhost}"
: "${SERVER_NAMES:=DNS:$TEMPORAL_TLS_SERVER_NAME,IP:127.0.0.1}"
: "${CERT_DAYS:=365}"
: "${POSTGRES_SEEDS:=127.0.0.1}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
: "${POSTGRES_PWD_FILE:=$KERNEL_ROLLOUT_ETC/postgres_password}"
: "${POSTGRES_ADMIN_HOST:=/var/run/postgresql}"
: "${POSTGRES_ADMIN_USER:=postgres}"
: "${TEMPORAL_PROD_TOOLS:=$KERNEL_ROLLOUT_HOME/.tools/prod}"
: "${TEMPORAL_SERVER_BIN:=$TEMPORAL_PROD_TOOLS/temporal-server}"
: "${TEMPORAL_SQL_TOOL:=$TEMPORAL_PROD_TOOLS/temporal-sql-tool}"
: "${TEMPORAL_SCHEMA_DIR:=$TEMPORAL_PROD_TOOLS/schema/postgresql/v12}"
: "${TEMPORAL_UI_BIN:=$TEMPORAL_PROD_TOOLS/ui-server}"
: "${TEMPORAL_CLI:=temporal}"
: "${TEMPORAL_BIND_IP:=127.0.0.1}"
: "${TEMPORAL_BROADCAST_ADDRESS:=127.0.0.1}"
: "${FRONTEND_GRPC_PORT:=7233}"
: "${FRONTEND_HTTP_PORT:=7243}"
: "${FRONTEND_MEMBERSHIP_PORT:=6933}"
: "${HISTORY_GRPC_PORT:=7234}"
: "${HISTORY_MEMBERSHIP_PORT:=6934}"
: "${MATCHING_GRPC_PORT:=7235}"
: "${MATCHING_MEMBERSHIP_PORT:=6935}"
: "${WORKER_GRPC_PORT:=7239}"
: "${WORKER_MEMBERSHIP_PORT:=6939}"
: "${TEMPORAL_METRICS_ADDRESS:=127.0.0.1:8000}"
: "${KERNEL_ROLLOUT_ROLES_FILE:=$KERNEL_ROLLOUT_HOME/deploy/temporal/config/roles.yaml}"
: "${TEMPORAL_DYNAMIC_CONFIG:=$KERNEL_ROLLOUT_HOME/deploy/temporal/dynamicconfig/production.yaml}"
: "${LOG_LEVEL:=info}"
: "${TEMPORAL_ADDRESS:=$TEMPORAL_BROADCAST_ADDRESS:$FRONTEND_GRPC_PORT}"
: "${TEMPORAL_NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=7d}"
: "${TEMPORAL_UI_BIND_IP:=127.0.0.1}"
: "${TEMPORAL_UI_PORT:=8233}"
: "${TEMPORAL_UI_CONFIG_DIR:=$KERNEL_ROLLOUT_HOME/deploy/ui/config}"
: "${NODE:=node}"
: "${MALLOC_ARENA_MAX:=2}"
: "${TEMPORAL_CONFIG_FILE:=$KERNEL_ROLLOUT_ETC/temporal.toml}"
: "${WORKER_PROFILE:=worker}"
: "${WORKER_METRICS_ADDRESS:=127.0.0.1:9464}"
: "${PROMETHEUS_BIN:=/usr/bin/prometheus}"
: "${PROMETHEUS_CONFIG:=$KERNEL_ROLLOUT_ETC/prometheus.yml}"
: "${PROMETHEUS_DATA:=/var/lib/kernel-rollout/prometheus}"
: "${PROMETHEUS_LISTEN_ADDRESS:=127.0.0.1:9090}"
: "${PROMETHEUS_TARGETS:=$WORKER_METRICS_ADDRESS}"
: "${PROMETHEUS_RULES:=$KERNEL_ROLLOUT_HOME/deploy/prometheus/kernel-rollout-rules.yml}"
: "${PROMETHEUS_INTERVAL:=15s}"

# A file a step needs, named with the setting that points to it.
kr_need() {
  [ -e "$2" ] || {
    echo "$(basename "$0"): $2 is missing ($1)" >&2
    exit 1
  }
}
