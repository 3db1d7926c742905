#!/usr/bin/env bash
# Prepares this Debian 12 machine as a kernel build host (what `kernelctl build` needs on the
# build host, and what the source-build tests use over SSH on loopback): the compilers and tools
# of a kernel build and Debian's linux-source-6.1. Idempotent; installs only what is missing.
# The list matches what prepareBuild checks (src/activities/build/tools.ts): the Build-Depends that
# `make bindeb-pkg` writes and dpkg-buildpackage checks (bc bison flex rsync kmod cpio libelf-dev
# libssl-dev, build-essential), fakeroot (6.1 packages under it), and what Debian's own config asks
# for: pahole from dwarves (CONFIG_DEBUG_INFO_BTF=y, needed at the final link) and python3 (BTF's
# resolve_btfids generates a libbpf header with it), openssl (the module signing key when the
# config names kbuild's default one, as Debian's does) and xz (KERNEL_XZ); zstd, lz4, lzop and
# bzip2 for configs that compress with them; debhelper for trees newer than 6.1. A fresh Debian 12
# minbase root with only this script run in it builds Debian's config (the
# source-build-localmodconfig scenario, docs/testing.md).
set -euo pipefail
pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio kmod rsync dpkg-dev fakeroot dwarves python3 openssl xz-utils zstd lz4 lzop bzip2
  debhelper linux-source-6.1)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || need+=("$p")
done
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
echo "setup-build-host.sh: ok (${#need[@]} package(s) installed)"
