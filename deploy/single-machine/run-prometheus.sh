#!/bin/sh
# Step 8b: renders PROMETHEUS_CONFIG with prometheus-config.sh, then runs Prometheus in the
# foreground on PROMETHEUS_LISTEN_ADDRESS. (Debian's own prometheus.service does as well: point
# its /etc/prometheus/prometheus.yml at the rendered file's content.)
. "$(dirname "$0")/settings.sh"
kr_need PROMETHEUS_BIN "$PROMETHEUS_BIN"
mkdir -p "$(dirname "$PROMETHEUS_CONFIG")" "$PROMETHEUS_DATA"
sh "$(dirname "$0")/prometheus-config.sh" >"$PROMETHEUS_CONFIG"
exec "$PROMETHEUS_BIN" --config.file="$PROMETHEUS_CONFIG" --storage.tsdb.path="$PROMETHEUS_DATA" \
  --web.listen-address="$PROMETHEUS_LISTEN_ADDRESS"
