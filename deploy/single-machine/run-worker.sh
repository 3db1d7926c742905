#!/bin/sh
# Step 7b: a kernelctl worker, in the foreground, with profile WORKER_PROFILE of
# TEMPORAL_CONFIG_FILE and metrics on WORKER_METRICS_ADDRESS; further arguments go to
# `kernelctl worker` (--task-queue, --max-concurrent-activities …). Several workers on one
# machine: one WORKER_PROFILE and WORKER_METRICS_ADDRESS each, in their environment
# (systemd/kernel-rollout-worker@.service).
. "$(dirname "$0")/settings.sh"
kr_need TEMPORAL_CONFIG_FILE "$TEMPORAL_CONFIG_FILE"
export TEMPORAL_CONFIG_FILE
# glibc's malloc arenas (settings.sh: 2, which keeps the resident memory near what the worker uses).
export MALLOC_ARENA_MAX
exec "$NODE" "$KERNEL_ROLLOUT_HOME/bin/kernelctl.js" worker --profile "$WORKER_PROFILE" \
  --metrics-address "$WORKER_METRICS_ADDRESS" "$@"
