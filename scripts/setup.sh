#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to run and test kernel-rollout. Idempotent.
#  - npm dependencies (npm ci), then the TypeScript build (dist/, which bin/kernelctl.js runs)
#  - the Temporal CLI (dev server), built from its Go module into the git-ignored .tools/bin
#    (nothing is downloaded at run time; the SDK's own download needs the internet)
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_MODULE="github.com/temporalio/cli/cmd/temporal@v1.5.1"

if [ ! -d node_modules/@temporalio/worker ]; then
  npm ci --no-audit --no-fund
fi

if [ -z "${KERNEL_ROLLOUT_TEMPORAL_BIN:-}" ] && [ ! -x .tools/bin/temporal ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go is needed to build the Temporal CLI (apt-get install golang-go, or set KERNEL_ROLLOUT_TEMPORAL_BIN)" >&2
    exit 1
  fi
  echo "setup: building the Temporal CLI ($TEMPORAL_MODULE) into .tools/bin (a few minutes on 2 cores)"
  mkdir -p .tools/bin
  # v1.5.1 is the last tag `go install` accepts: later ones carry a replace directive.
  GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install "$TEMPORAL_MODULE"
fi
# kernelctl runs from the compiled dist/.
npx tsc -p tsconfig.json
echo "setup: temporal at ${KERNEL_ROLLOUT_TEMPORAL_BIN:-$PWD/.tools/bin/temporal}"
