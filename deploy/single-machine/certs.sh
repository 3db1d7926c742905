#!/bin/sh
# Step 2: the certificates, by deploy/make-certs.sh into TEMPORAL_TLS_DIR for SERVER_NAMES.
#   sh deploy/single-machine/certs.sh [CLIENT...]             makes what is missing
#   sh deploy/single-machine/certs.sh --renew [NAME...]       re-issues leaves, never the CA
# (docs/operations.md, "Rotating certificates").
. "$(dirname "$0")/settings.sh"
renew=""
if [ "${1:-}" = "--renew" ]; then
  renew=--renew
  shift
fi
SERVER_NAMES=$SERVER_NAMES DAYS=$CERT_DAYS exec sh "$KERNEL_ROLLOUT_HOME/deploy/make-certs.sh" $renew "$TEMPORAL_TLS_DIR" "$@"
