#!/bin/sh
# Step 4: kernel-rollout's Temporal server (deploy/temporal/server/, built by
# scripts/build-temporal-server.sh: Temporal's default authorizer, roles by client certificate CN
# from KERNEL_ROLLOUT_ROLES_FILE), in the foreground (`exec`: a systemd unit or a test supervises
# this PID). Its configuration is deploy/temporal/config/production.yaml, a template the server
# renders from the variables exported here; the password is read from POSTGRES_PWD_FILE into the
# server's environment, never into an argument or a file. A missing or invalid roles file stops
# the start.
. "$(dirname "$0")/settings.sh"
kr_need TEMPORAL_SERVER_BIN "$TEMPORAL_SERVER_BIN"
kr_need POSTGRES_PWD_FILE "$POSTGRES_PWD_FILE"
kr_need KERNEL_ROLLOUT_ROLES_FILE "$KERNEL_ROLLOUT_ROLES_FILE"
for f in ca.pem server.pem server.key worker.pem worker.key; do kr_need TEMPORAL_TLS_DIR "$TEMPORAL_TLS_DIR/$f"; done
POSTGRES_PWD=$(cat "$POSTGRES_PWD_FILE")
export POSTGRES_SEEDS DB_PORT POSTGRES_USER POSTGRES_PWD TEMPORAL_BIND_IP TEMPORAL_BROADCAST_ADDRESS \
  TEMPORAL_TLS_DIR TEMPORAL_TLS_SERVER_NAME TEMPORAL_METRICS_ADDRESS TEMPORAL_DYNAMIC_CONFIG LOG_LEVEL KERNEL_ROLLOUT_ROLES_FILE \
  FRONTEND_GRPC_PORT FRONTEND_HTTP_PORT FRONTEND_MEMBERSHIP_PORT HISTORY_GRPC_PORT HISTORY_MEMBERSHIP_PORT \
  MATCHING_GRPC_PORT MATCHING_MEMBERSHIP_PORT WORKER_GRPC_PORT WORKER_MEMBERSHIP_PORT
exec "$TEMPORAL_SERVER_BIN" --root / --config "$KERNEL_ROLLOUT_HOME/deploy/temporal/config" --env production start
