#!/bin/sh
# Step 6: the web UI server, in the foreground, with deploy/ui/config/production.yaml (mutual TLS
# to the frontend as `ui`: ui.pem, ui.key and ca.pem in TEMPORAL_TLS_DIR).
. "$(dirname "$0")/settings.sh"
kr_need TEMPORAL_UI_BIN "$TEMPORAL_UI_BIN"
for f in ca.pem ui.pem ui.key; do kr_need TEMPORAL_TLS_DIR "$TEMPORAL_TLS_DIR/$f"; done
export TEMPORAL_ADDRESS TEMPORAL_UI_PORT TEMPORAL_UI_BIND_IP TEMPORAL_TLS_DIR TEMPORAL_TLS_SERVER_NAME
exec "$TEMPORAL_UI_BIN" --root / --config "$KERNEL_ROLLOUT_HOME/deploy/ui/config" --env production start
