#!/bin/sh
# Makes the certificates of a self-hosted kernel-rollout deployment with openssl (ECDSA P-256):
#   ca.pem, ca.key             the CA every side trusts (keep ca.key offline once done)
#   server.pem, server.key     the Temporal server: frontend and internode (serverAuth and
#                              clientAuth), for the names in SERVER_NAMES
#   <client>.pem, <client>.key one per client (clientAuth), default:
#                              worker (the server's own system workers), admin (schema and
#                              namespace setup, the `temporal` CLI), ui (the web UI server),
#                              kernel-rollout-worker (kernelctl worker), kernelctl (operators),
#                              auditor (read-only)
#                              What each may do: deploy/temporal/config/roles.yaml, by the CN.
#
#   sh deploy/make-certs.sh DIR [CLIENT...]
# Environment: SERVER_NAMES [DNS:temporal,DNS:localhost,IP:127.0.0.1], DAYS [365].
# Existing files in DIR are never overwritten: delete a pair to make it again.
# Every key is created mode 600 (umask 077 before the first file), certificates 644. The
# containers run as uid 1000: chown to it only the keys they use, never ca.key
# (docs/operations.md, "Deploying").
# docker-compose.yml mounts DIR (default ./secrets/tls); `npm run test:prod` makes its own with it.
set -eu
dir=${1:?usage: make-certs.sh DIR [CLIENT...]}
shift
[ $# -gt 0 ] || set -- worker admin ui kernel-rollout-worker kernelctl auditor
days=${DAYS:-365}
mkdir -p "$dir"
cd "$dir"
# From here on every file is created 600: the keys, ca.srl.
umask 077

key() { [ -f "$1.key" ] || openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"; }

key ca
[ -f ca.pem ] || openssl req -x509 -new -key ca.key -subj "/CN=kernel-rollout CA" -days "$days" -out ca.pem

# sign NAME EXTENSIONS
sign() {
  [ -f "$1.pem" ] && return 0
  key "$1"
  openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr"
  printf '%b\n' "$2" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

sign server "subjectAltName=${SERVER_NAMES:-DNS:temporal,DNS:localhost,IP:127.0.0.1}\nextendedKeyUsage=serverAuth,clientAuth"
for client in "$@"; do
  sign "$client" "extendedKeyUsage=clientAuth"
done
# Certificates are public; the keys stay 600 (their owner is the one user that may read them).
chmod 644 ./*.pem
echo "make-certs: $(ls ./*.pem | wc -l) certificates in $PWD"
