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
#   sh deploy/make-certs.sh DIR [CLIENT...]           makes what is missing
#   sh deploy/make-certs.sh --renew DIR [NAME...]     re-issues leaves (docs/operations.md,
#                                                     "Rotating certificates")
# Environment: SERVER_NAMES [DNS:temporal,DNS:localhost,IP:127.0.0.1], DAYS [365].
# Existing files in DIR are never overwritten, except by --renew: delete a pair to make it again.
# --renew gives each named leaf (default: every <name>.pem in DIR but ca.pem) a new key and a new
# certificate signed by the same CA, with the same subject and extensions (the server's names
# from its current certificate unless SERVER_NAMES is set); it never touches
# ca.pem or ca.key. It rewrites the two files in place (same inode, owner and mode), so a
# docker-compose single-file bind mount and a `chown` to the container's uid still hold.
# Every key is created mode 600 (umask 077 before the first file), certificates 644. The
# containers run as uid 1000: chown to it only the keys they use, never ca.key
# (docs/operations.md, "Deploying").
# docker-compose.yml mounts each container's own files from DIR (default ./secrets/tls);
# `npm run test:prod` makes its own with it (through deploy/single-machine/certs.sh).
set -eu
renew=""
if [ "${1:-}" = "--renew" ]; then
  renew=1
  shift
fi
dir=${1:?usage: make-certs.sh [--renew] DIR [NAME...]}
shift
for name in "$@"; do
  case $name in ca | *[!A-Za-z0-9_-]* | '') echo "make-certs: '$name' is not a leaf name ([A-Za-z0-9_-]+, not ca)" >&2 && exit 2 ;; esac
done
# The one list of the deployment's client identities.
[ $# -gt 0 ] || [ -n "$renew" ] || set -- worker admin ui kernel-rollout-worker kernelctl auditor
days=${DAYS:-365}
mkdir -p "$dir"
cd "$dir"
# From here on every file is created 600: the keys, ca.srl.
umask 077

key() { [ -f "$1.key" ] || openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"; }

# issue NAME OUT: a key OUT.key and OUT.pem (CN=NAME) signed by the CA; the server's extensions for
# `server`, a client's for every other name.
issue() {
  ext="extendedKeyUsage=clientAuth"
  [ "$1" != server ] ||
    ext="subjectAltName=${SERVER_NAMES:-DNS:temporal,DNS:localhost,IP:127.0.0.1}\nextendedKeyUsage=serverAuth,clientAuth"
  key "$2"
  openssl req -new -key "$2.key" -subj "/CN=$1" -out "$2.csr"
  printf '%b\n' "$ext" >"$2.ext"
  openssl x509 -req -in "$2.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$2.ext" -out "$2.pem" 2>/dev/null
  rm -f "$2.csr" "$2.ext"
}

serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

if [ -n "$renew" ]; then
  [ -f ca.pem ] && [ -f ca.key ] || {
    echo "make-certs: --renew re-issues leaves with the CA in $PWD, and ca.pem or ca.key is missing" >&2
    exit 1
  }
  [ $# -gt 0 ] || set -- $(ls ./*.pem | sed -e 's|^\./||' -e 's|\.pem$||' | grep -vx ca)
  for name in "$@"; do
    [ -f "$name.pem" ] || {
      echo "make-certs: --renew $name: $PWD/$name.pem does not exist (make it without --renew)" >&2
      exit 1
    }
  done
  # The server keeps the names it has unless SERVER_NAMES says otherwise.
  if [ -z "${SERVER_NAMES:-}" ] && [ -f server.pem ]; then
    SERVER_NAMES=$(openssl x509 -in server.pem -noout -ext subjectAltName | tail -n +2 | sed -e 's/IP Address:/IP:/g' -e 's/ //g')
  fi
  new=$(mktemp -d ./.renew.XXXXXX)
  for name in "$@"; do
    issue "$name" "$new/$name"
    old=$(serial "$name.pem")
    # In place: the same inode, owner and mode (bind mounts, chown); the key first, then its certificate.
    cat "$new/$name.key" >"$name.key"
    cat "$new/$name.pem" >"$name.pem"
    chmod 600 "$name.key"
    echo "make-certs: renewed $name (serial $old -> $(serial "$name.pem"))"
  done
  rm -rf "$new"
  exit 0
fi

key ca
[ -f ca.pem ] || openssl req -x509 -new -key ca.key -subj "/CN=kernel-rollout CA" -days "$days" -out ca.pem

[ -f server.pem ] || issue server server
for client in "$@"; do
  [ -f "$client.pem" ] || issue "$client" "$client"
done
# Certificates are public; the keys stay 600 (their owner is the one user that may read them).
chmod 644 ./*.pem
echo "make-certs: $(ls ./*.pem | wc -l) certificates in $PWD"
