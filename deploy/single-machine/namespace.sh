#!/bin/sh
# Step 5: the namespace and kernel-rollout's search attributes, by
# deploy/temporal/create-namespace.sh with the `temporal` CLI and the admin certificate (adding
# search attributes is an admin's right; the worker's identity does not have it); waits until the
# server answers; idempotent.
. "$(dirname "$0")/settings.sh"
export TEMPORAL_CLI TEMPORAL_ADDRESS TEMPORAL_NAMESPACE TEMPORAL_TLS_DIR TEMPORAL_TLS_SERVER_NAME
TEMPORAL_TLS_CLIENT=admin RETENTION=$NAMESPACE_RETENTION exec sh "$KERNEL_ROLLOUT_HOME/deploy/temporal/create-namespace.sh"
