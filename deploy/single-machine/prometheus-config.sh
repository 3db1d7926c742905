#!/bin/sh
# Step 8a: prints Prometheus's configuration: scrape PROMETHEUS_TARGETS (the workers' metrics
# addresses, space-separated) and the server's TEMPORAL_METRICS_ADDRESS every
# PROMETHEUS_INTERVAL, evaluating PROMETHEUS_RULES (deploy/prometheus/kernel-rollout-rules.yml).
#   sh deploy/single-machine/prometheus-config.sh >/etc/kernel-rollout/prometheus.yml
. "$(dirname "$0")/settings.sh"
q() { printf '"%s"' "$1"; }
targets=""
for t in $PROMETHEUS_TARGETS; do targets="$targets${targets:+, }$(q "$t")"; done
cat <<YAML
global:
  scrape_interval: $PROMETHEUS_INTERVAL
  evaluation_interval: $PROMETHEUS_INTERVAL
rule_files:
  - $(q "$PROMETHEUS_RULES")
scrape_configs:
  - job_name: kernel-rollout-worker
    static_configs:
      - targets: [$targets]
  - job_name: temporal-server
    static_configs:
      - targets: [$(q "$TEMPORAL_METRICS_ADDRESS")]
YAML
