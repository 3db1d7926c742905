#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to run and test kernel-rollout. Idempotent.
#  - npm dependencies (npm ci), then the TypeScript build (dist/, which bin/kernelctl.js runs)
#  - the Temporal CLI (dev server), built from its Go module once per machine into
#    ${KERNEL_ROLLOUT_CACHE:-~/.cache/kernel-rollout}/tools/temporal-<version>-<go version>/ and
#    linked as the git-ignored .tools/bin/temporal, so a fresh clone reuses it (nothing is
#    downloaded at run time; the SDK's own download needs the internet). Go keeps its module and
#    build caches (GOMODCACHE, GOCACHE) per machine too.
#  - what `npm run check` needs from the system (scripts/system-packages.sh check: sshd and its
#    SFTP server, ssh tools, sudo, openssl, qemu, make, the test user krtest): installed when run as
#    root; otherwise named with the command to run as root, and setup exits 1 after the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

system_rc=0
bash scripts/system-packages.sh check || system_rc=$?

TEMPORAL_VERSION=v1.5.1
TEMPORAL_MODULE="github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION"
CACHE_ROOT="${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}"

if [ ! -d node_modules/@temporalio/worker ]; then
  npm ci --no-audit --no-fund
fi

if [ -z "${KERNEL_ROLLOUT_TEMPORAL_BIN:-}" ] && [ ! -x .tools/bin/temporal ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go is needed to build the Temporal CLI (apt-get install golang-go, or set KERNEL_ROLLOUT_TEMPORAL_BIN)" >&2
    exit 1
  fi
  cached="$CACHE_ROOT/tools/temporal-$TEMPORAL_VERSION-$(go env GOVERSION)"
  mkdir -p "$CACHE_ROOT/tools"
  # One build at a time per machine (parallel clones wait here, then reuse it).
  exec 8>"$CACHE_ROOT/tools/.build.lock"
  flock 8
  if [ ! -x "$cached/temporal" ]; then
    echo "setup: building the Temporal CLI ($TEMPORAL_MODULE) into $cached (a few minutes on 2 cores)"
    partial=$(mktemp -d "$CACHE_ROOT/tools/.partial.XXXXXX")
    chmod 755 "$partial"
    # v1.5.1 is the last tag `go install` accepts: later ones carry a replace directive.
    GOBIN="$partial" GOFLAGS=-mod=mod go install "$TEMPORAL_MODULE"
    rm -rf "$cached"
    mv "$partial" "$cached"
  fi
  exec 8>&-
  mkdir -p .tools/bin
  ln -sfn "$cached/temporal" .tools/bin/temporal
fi
# kernelctl runs from the compiled dist/.
npx tsc -p tsconfig.json
echo "setup: temporal at ${KERNEL_ROLLOUT_TEMPORAL_BIN:-$PWD/.tools/bin/temporal}"
if ((system_rc != 0)); then
  echo "setup: npm run check still needs the system packages named above (run the command shown as root)" >&2
  exit "$system_rc"
fi
