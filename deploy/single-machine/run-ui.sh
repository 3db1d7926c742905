#!/bin/sh
# Step 6: the web UI server, in the foreground, with TEMPORAL_UI_CONFIG_DIR/production.yaml
# [deploy/ui/config: read-only, disableWriteActions] (mutual TLS to the frontend as `ui`: ui.pem,
# ui.key and ca.pem in TEMPORAL_TLS_DIR; the server gives CN=ui only a reader's rights).
. "$(dirname "$0")/settings.sh"
kr_need TEMPORAL_UI_BIN "$TEMPORAL_UI_BIN"
kr_need TEMPORAL_UI_CONFIG_DIR "$TEMPORAL_UI_CONFIG_DIR/production.yaml"
for f in ca.pem ui.pem ui.key; do kr_need TEMPORAL_TLS_DIR "$TEMPORAL_TLS_DIR/$f"; done
export TEMPORAL_ADDRESS TEMPORAL_UI_PORT TEMPORAL_UI_BIND_IP TEMPORAL_TLS_DIR TEMPORAL_TLS_SERVER_NAME
exec "$TEMPORAL_UI_BIN" --root / --config "$TEMPORAL_UI_CONFIG_DIR" --env production start
