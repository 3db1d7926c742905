#!/usr/bin/env bash
# Compiles exactly what the Dockerfile copies from the build context, in a temporary directory,
# with tsconfig.build.json: the image's copy set and the build config cannot drift apart
# unnoticed (a file under src/ that imports test/, sim/ or testbed/ fails here). Then loads the
# CLI and the worker's module graph from that directory the way the image runs them.
# The COPY lines are read from the Dockerfile itself; only `COPY <src>... <dest>` from the
# context is understood (with dest `./` or the source's own path): anything else is an error here,
# so a new kind of COPY has to be taught to this script.
#   npm run check:image
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/kernel-rollout-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

copied=()
while read -r -a words; do
  [[ ${#words[@]} -gt 0 && ${words[0]^^} == COPY ]] || continue
  [[ ${words[1]} == --from=* ]] && continue
  if [[ ${words[1]} == --* || ${#words[@]} -lt 3 ]]; then
    echo "check-image: cannot read this COPY line: ${words[*]}" >&2
    exit 1
  fi
  dest=${words[-1]}
  for src in "${words[@]:1:${#words[@]}-2}"; do
    if [[ $dest != ./ && ${dest%/} != "./${src%/}" && ${dest%/} != "${src%/}" ]]; then
      echo "check-image: COPY $src $dest does not keep the source's path; teach scripts/check-image.sh" >&2
      exit 1
    fi
    if [[ ! -e $src ]]; then
      echo "check-image: the Dockerfile copies $src, which does not exist" >&2
      exit 1
    fi
    [[ " ${copied[*]} " == *" $src "* ]] && continue
    mkdir -p "$work/$(dirname "$src")"
    cp -a "$src" "$work/$src"
    copied+=("$src")
  done
done < Dockerfile
echo "check-image: the Dockerfile copies ${copied[*]}"

# The image runs `npm ci`; here the checkout's node_modules stands in for it.
ln -s "$PWD/node_modules" "$work/node_modules"
(cd "$work" && node node_modules/typescript/bin/tsc -p tsconfig.build.json)
if find "$work/dist" -name '*.test.js' | grep -q .; then
  echo "check-image: tests were compiled into the image's dist/" >&2
  exit 1
fi
(cd "$work" && node bin/kernelctl.js --help >/dev/null)
(cd "$work" && node -e "require('./dist/src/worker'); require('./dist/src/dev/temporal-server')")
echo "check-image: tsconfig.build.json compiles the image's copy set; kernelctl and the worker load from it"
