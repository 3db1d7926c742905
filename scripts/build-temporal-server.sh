#!/usr/bin/env bash
# Builds the self-hosted Temporal parts the production topology test (npm run test:prod) runs:
#   temporal-server      go.temporal.io/server/cmd/server            (the server, all services)
#   temporal-sql-tool    go.temporal.io/server/cmd/tools/sql         (creates and updates schemas)
#   ui-server            github.com/temporalio/ui-server/v2/cmd/server (the web UI)
# and copies the PostgreSQL schema files that ship in the server's module beside them.
#
# Cold, these Go builds take several minutes on 2 cores, so they are built once per machine into
#   ${KERNEL_ROLLOUT_CACHE:-~/.cache/kernel-rollout}/tools/temporal-server-<v>-ui-<v>-<go version>/
# (the key: both module versions and Go's version), which a fresh clone reuses; the clone gets
# the git-ignored link .tools/prod -> that directory. Idempotent; one build per machine at a time.
#
#   bash scripts/build-temporal-server.sh        prints the directory on its last line
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER_VERSION=v1.29.1
UI_VERSION=v2.42.1
CACHE_ROOT="${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}"

command -v go >/dev/null 2>&1 || {
  echo "build-temporal-server: Go is needed (apt-get install golang-go)" >&2
  exit 1
}
cached="$CACHE_ROOT/tools/temporal-server-$SERVER_VERSION-ui-$UI_VERSION-$(go env GOVERSION)"
mkdir -p "$CACHE_ROOT/tools"
exec 8>"$CACHE_ROOT/tools/.build-server.lock"
flock 8
if [ ! -x "$cached/ui-server" ]; then
  t0=$(date +%s)
  echo "build-temporal-server: building Temporal server $SERVER_VERSION, its SQL tool and UI server $UI_VERSION into $cached"
  partial=$(mktemp -d "$CACHE_ROOT/tools/.partial-server.XXXXXX")
  chmod 755 "$partial"
  GOBIN="$partial" GOFLAGS=-mod=mod go install \
    "go.temporal.io/server/cmd/server@$SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION"
  mv "$partial/server" "$partial/temporal-server"
  mv "$partial/sql" "$partial/temporal-sql-tool"
  GOBIN="$partial" GOFLAGS=-mod=mod go install "github.com/temporalio/ui-server/v2/cmd/server@$UI_VERSION"
  mv "$partial/server" "$partial/ui-server"
  # The schema files ship in the server's module (read-only in Go's module cache): copy them.
  module_dir=$(GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "go.temporal.io/server@$SERVER_VERSION" 2>/dev/null ||
    echo "$(go env GOMODCACHE)/go.temporal.io/server@$SERVER_VERSION")
  mkdir -p "$partial/schema"
  cp -r "$module_dir/schema/postgresql" "$partial/schema/"
  chmod -R u+w "$partial/schema"
  rm -rf "$cached"
  mv "$partial" "$cached"
  echo "build-temporal-server: built in $(($(date +%s) - t0)) s"
fi
exec 8>&-
mkdir -p .tools
ln -sfn "$cached" .tools/prod
echo "$cached"
