#!/usr/bin/env bash
# A pristine Debian 12 root for a throwaway build host (test/e2e/source-build-lmc.test.ts):
# `debootstrap --variant=minbase bookworm` with openssh-server added and nothing else, packed as
# TARBALL (zstd). Made once per machine: if TARBALL exists it is left alone. The mirror is the
# one this machine's APT uses for bookworm (as testbed/build-image.sh reads it), so no host name
# is written here. Needs root and debootstrap. Leaves nothing behind on failure.
#   usage: build-host-root.sh TARBALL
set -euo pipefail
tarball="${1:?usage: build-host-root.sh TARBALL}"
[[ -s "$tarball" ]] && { echo "build-host-root.sh: $tarball exists"; exit 0; }
[[ $EUID -eq 0 ]] || { echo "build-host-root.sh: must run as root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "build-host-root.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
# The first bookworm main source APT has indexes for: " 500 URI bookworm/main amd64 Packages".
mirror="$(apt-cache policy | awk '$3 == "bookworm/main" && $4 == "amd64" && $5 == "Packages" { print $2; exit }')"
[[ -n "$mirror" ]] || { echo "build-host-root.sh: no bookworm main source in this machine's APT (apt-get update?)" >&2; exit 1; }
mkdir -p "$(dirname "$tarball")"
work="$(mktemp -d "$(dirname "$tarball")/.build-host-root.XXXXXX")"
trap 'rm -rf --one-file-system "$work"' EXIT
t0=$(date +%s)
debootstrap --variant=minbase --include=openssh-server bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# Host keys are the test's own (pinned): none of debootstrap's stays in the tarball.
rm -f "$work/root"/etc/ssh/ssh_host_*
tar --zstd -C "$work/root" --numeric-owner -cpf "$work/root.tar.zst" .
mv "$work/root.tar.zst" "$tarball"
echo "build-host-root.sh: $tarball made from $mirror in $(($(date +%s) - t0)) s ($(du -h "$tarball" | cut -f1))"
