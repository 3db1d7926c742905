#!/bin/sh
# Step 7a: prints a Temporal profile (the TOML that kernelctl and the `temporal` CLI read) for
# PROFILE, presenting the client certificate IDENTITY from TEMPORAL_TLS_DIR:
#   sh deploy/single-machine/worker-profile.sh worker kernel-rollout-worker >/etc/kernel-rollout/temporal.toml
# Only paths: the key stays in its file.
. "$(dirname "$0")/settings.sh"
profile=${1:?usage: worker-profile.sh PROFILE IDENTITY}
identity=${2:?usage: worker-profile.sh PROFILE IDENTITY}
for v in "$profile" "$identity"; do
  case $v in *[!A-Za-z0-9_-]*) echo "worker-profile: '$v' must be [A-Za-z0-9_-]+" >&2 && exit 2 ;; esac
done
cat <<TOML
[profile.$profile]
address = "$TEMPORAL_ADDRESS"
namespace = "$TEMPORAL_NAMESPACE"

[profile.$profile.tls]
server_ca_cert_path = "$TEMPORAL_TLS_DIR/ca.pem"
server_name = "$TEMPORAL_TLS_SERVER_NAME"
client_cert_path = "$TEMPORAL_TLS_DIR/$identity.pem"
client_key_path = "$TEMPORAL_TLS_DIR/$identity.key"
TOML
