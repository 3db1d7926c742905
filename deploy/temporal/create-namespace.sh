#!/bin/sh
# Registers kernel-rollout's namespace on a fresh self-hosted Temporal server (the server does not
# create one by itself), waiting until the server answers. Idempotent: a namespace that exists is
# left as it is. Then kernel-rollout's search attributes (src/workflows/search-attributes.ts,
# SEARCH_ATTRIBUTES below; test/unit/compose-layout.test.ts keeps the two the same): adding them
# is an admin's right, which the worker's own identity does not have (deploy/temporal/config/roles.yaml).
#
# docker-compose.yml runs it in the admin-tools image; `npm run test:prod` runs it with the
# Temporal CLI this project builds. Environment (defaults in brackets):
#   TEMPORAL_ADDRESS [temporal:7233]   TEMPORAL_NAMESPACE [default]   RETENTION [7d]
#   TEMPORAL_TLS_DIR [/etc/temporal/tls]: ca.pem and the client certificate <name>.pem + <name>.key
#   TEMPORAL_TLS_CLIENT [admin] (that <name>)   TEMPORAL_TLS_SERVER_NAME [temporal]
#   TEMPORAL_CLI [temporal]   WAIT_SECONDS [120]
set -eu
cli=${TEMPORAL_CLI:-temporal}
tls=${TEMPORAL_TLS_DIR:-/etc/temporal/tls}
client=${TEMPORAL_TLS_CLIENT:-admin}
namespace=${TEMPORAL_NAMESPACE:-default}

t() {
  "$cli" "$@" --address "${TEMPORAL_ADDRESS:-temporal:7233}" \
    --tls-ca-path "$tls/ca.pem" --tls-cert-path "$tls/$client.pem" --tls-key-path "$tls/$client.key" \
    --tls-server-name "${TEMPORAL_TLS_SERVER_NAME:-temporal}"
}

waited=0
until t operator cluster health >/dev/null 2>&1; do
  if [ "$waited" -ge "${WAIT_SECONDS:-120}" ]; then
    echo "create-namespace: the server at ${TEMPORAL_ADDRESS:-temporal:7233} did not answer in ${WAIT_SECONDS:-120} s" >&2
    t operator cluster health >&2 || true
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done

if t operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "create-namespace: $namespace exists"
else
  t operator namespace create --namespace "$namespace" --retention "${RETENTION:-7d}"
  echo "create-namespace: $namespace created"
fi

SEARCH_ATTRIBUTES="KernelRolloutPhase=Keyword KernelRolloutTarget=Keyword KernelRolloutOutcome=Keyword KernelRolloutProgressedAt=Datetime"
# A namespace just registered takes a few seconds to reach the frontend's cache: wait for it.
waited=0
until existing=$(t operator search-attribute list --namespace "$namespace" -o json 2>&1); do
  if [ "$waited" -ge "${WAIT_SECONDS:-120}" ]; then
    echo "create-namespace: could not list the search attributes of $namespace: $existing" >&2
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done
added=""
for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  # The CLI's JSON lists each attribute's name in quotes: an exact, quoted match.
  case "$existing" in *"\"$name\""*) continue ;; esac
  t operator search-attribute create --namespace "$namespace" --name "$name" --type "${pair#*=}" >/dev/null
  added="$added $name"
done
echo "create-namespace: search attributes in $namespace:${added:- all present}${added:+ added}"
