#!/usr/bin/env bash
# Builds the self-hosted Temporal parts the production topology test (npm run test:prod) runs:
#   temporal-server      kernel-rollout's server: deploy/temporal/server/ (go.temporal.io/server
#                        with Temporal's default authorizer and our claim mapper), not the stock one
#   temporal-sql-tool    go.temporal.io/server/cmd/tools/sql         (creates and updates schemas)
#   ui-server            github.com/temporalio/ui-server/v2/cmd/server (the web UI)
# and copies the PostgreSQL schema files that ship in the server's module beside them.
#
# Cold, these Go builds take several minutes on 2 cores, so they are built once per machine into
#   ${KERNEL_ROLLOUT_CACHE:-~/.cache/kernel-rollout}/tools/
#     temporal-server-<v>-ui-<v>-<go version>/     the SQL tool, the UI server, the schema files
#     kernel-rollout-server-<v>-<go version>-<h>/  the server binary, links to the above
# where <h> is a hash of deploy/temporal/server's go.mod, go.sum and Go sources (not its tests):
# a change to them builds a new server (Go's build cache keeps that to a compile of our package
# and a link), a fresh clone reuses what is there. The clone gets the git-ignored link
# .tools/prod -> the second directory. Idempotent; one build per machine at a time.
#
#   bash scripts/build-temporal-server.sh        prints the directory on its last line
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER_VERSION=v1.29.1
UI_VERSION=v2.42.1
CACHE_ROOT="${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}"
SERVER_SRC=deploy/temporal/server

command -v go >/dev/null 2>&1 || {
  echo "build-temporal-server: Go is needed (apt-get install golang-go)" >&2
  exit 1
}
grep -q "go.temporal.io/server $SERVER_VERSION" "$SERVER_SRC/go.mod" || {
  echo "build-temporal-server: $SERVER_SRC/go.mod does not require go.temporal.io/server $SERVER_VERSION" >&2
  exit 1
}
goversion=$(go env GOVERSION)
tools="$CACHE_ROOT/tools/temporal-server-$SERVER_VERSION-ui-$UI_VERSION-$goversion"
hash=$(cd "$SERVER_SRC" && find . -maxdepth 1 -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) ! -name '*_test.go' |
  LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
cached="$CACHE_ROOT/tools/kernel-rollout-server-$SERVER_VERSION-$goversion-$hash"
mkdir -p "$CACHE_ROOT/tools"
exec 8>"$CACHE_ROOT/tools/.build-server.lock"
flock 8
if [ ! -x "$tools/ui-server" ] || [ ! -x "$tools/temporal-sql-tool" ]; then
  t0=$(date +%s)
  echo "build-temporal-server: building Temporal's SQL tool $SERVER_VERSION and UI server $UI_VERSION into $tools"
  partial=$(mktemp -d "$CACHE_ROOT/tools/.partial-tools.XXXXXX")
  chmod 755 "$partial"
  GOBIN="$partial" GOFLAGS=-mod=mod go install "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION"
  mv "$partial/sql" "$partial/temporal-sql-tool"
  GOBIN="$partial" GOFLAGS=-mod=mod go install "github.com/temporalio/ui-server/v2/cmd/server@$UI_VERSION"
  mv "$partial/server" "$partial/ui-server"
  # The schema files ship in the server's module (read-only in Go's module cache): copy them.
  module_dir=$(GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "go.temporal.io/server@$SERVER_VERSION" 2>/dev/null ||
    echo "$(go env GOMODCACHE)/go.temporal.io/server@$SERVER_VERSION")
  mkdir -p "$partial/schema"
  cp -r "$module_dir/schema/postgresql" "$partial/schema/"
  chmod -R u+w "$partial/schema"
  rm -rf "$tools"
  mv "$partial" "$tools"
  echo "build-temporal-server: SQL tool and UI server built in $(($(date +%s) - t0)) s"
fi
if [ ! -x "$cached/temporal-server" ]; then
  t0=$(date +%s)
  echo "build-temporal-server: building kernel-rollout's Temporal server ($SERVER_SRC, $hash) into $cached"
  partial=$(mktemp -d "$CACHE_ROOT/tools/.partial-server.XXXXXX")
  chmod 755 "$partial"
  # go.sum is committed: the module graph is fixed (-mod=readonly), modules come from Go's proxy.
  (cd "$SERVER_SRC" && GOFLAGS=-mod=readonly go build -trimpath -o "$partial/temporal-server" .)
  for f in temporal-sql-tool ui-server schema; do ln -s "$tools/$f" "$partial/$f"; done
  rm -rf "$cached"
  mv "$partial" "$cached"
  echo "build-temporal-server: server built in $(($(date +%s) - t0)) s"
fi
exec 8>&-
mkdir -p .tools
ln -sfn "$cached" .tools/prod
echo "$cached"
