#!/usr/bin/env bash
# What each test suite needs from a Debian 12 machine, in one place. For each suite named, finds
# the Debian packages (and, for `check`, the test user; for `e2e`, the kernel build host's
# packages of scripts/setup-build-host.sh) that are missing; as root it installs them, otherwise
# it names each one and the command to run, and exits 1. Idempotent; installs nothing when
# nothing is missing.
#   bash scripts/system-packages.sh [--dry-run] SUITE...
#     SUITE: check (npm run check: lint + unit, ssh and workflow tests), sim, chaos, ui, prod, e2e,
#            fleet, differential, image (docker-compose for .ci/run's compose check), all
#     --dry-run: name what is missing and what would run, change nothing, exit 0
# `npm run setup` runs it for `check`, each `npm run test:<suite>` for its own suite, .ci/run for
# all of them. The probe paths can be moved with KR_PROBE_ROOT (a folder standing for /), which the
# script's own test uses.
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run=0
suites=()
for a in "$@"; do
  case $a in
    --dry-run) dry_run=1 ;;
    check | sim | chaos | ui | prod | e2e | fleet | differential | image) suites+=("$a") ;;
    all) suites+=(check sim chaos ui prod e2e fleet differential image) ;;
    *)
      echo "system-packages.sh: unknown suite or option '$a' (suites: check sim chaos ui prod e2e fleet differential image all; option --dry-run)" >&2
      exit 2
      ;;
  esac
done
if ((${#suites[@]} == 0)); then
  echo "usage: bash scripts/system-packages.sh [--dry-run] check|sim|chaos|ui|prod|e2e|fleet|differential|image|all ..." >&2
  exit 2
fi

root=${KR_PROBE_ROOT:-}
# has_file PATH: an executable file at PATH (under KR_PROBE_ROOT when set).
has_file() { [[ -x "$root$1" ]]; }
# has_cmd NAME: NAME in /usr/bin, /usr/sbin, /bin or /sbin (a fixed list, so the answer does not
# depend on the caller's PATH).
has_cmd() {
  local d
  for d in /usr/bin /usr/sbin /bin /sbin /usr/local/bin; do [[ -x "$root$d/$1" ]] && return 0; done
  return 1
}

need=()
why=()
build_host_missing=0
# Installed as .ci/run always did: the SSH and build tools without their "Recommends", the
# services and the browser (chromium's fonts, PostgreSQL's tools) with them.
with_recommends=' chromium postgresql prometheus docker-compose bubblewrap '
want() { # want PACKAGE REASON
  need+=("$1")
  why+=("$1: $2")
}

# The SSH tools: sshd and its SFTP subsystem (the uploads of test/ssh, the simulator and the
# topology test open SFTP sessions; openssh-server's "Recommends" is skipped by
# --no-install-recommends, so it is asked for on its own), the client tools, sudo, openssl.
ssh_tools() {
  has_file /usr/sbin/sshd || want openssh-server "/usr/sbin/sshd (test/ssh, src/activities/*/run-ssh tests)"
  has_file /usr/lib/openssh/sftp-server || want openssh-sftp-server "/usr/lib/openssh/sftp-server (SFTP uploads: test/ssh, sim, test:prod)"
  { has_cmd ssh-keygen && has_cmd ssh-agent && has_cmd ssh; } || want openssh-client "ssh-keygen, ssh-agent, ssh"
  { has_cmd sudo && has_cmd visudo; } || want sudo "sudo for the test user krtest"
  has_cmd openssl || want openssl "openssl (certificates of the Temporal profile and topology tests)"
}
simulator() {
  ssh_tools
  has_cmd bwrap || want bubblewrap "bwrap (the fleet simulator isolates each host's shell)"
}

for s in "${suites[@]}"; do
  case $s in
    check)
      ssh_tools
      has_cmd qemu-system-x86_64 || want qemu-system-x86 "qemu-system-x86_64 (src/activities/power/qmp.test.ts)"
      has_cmd make || want make "make (src/activities/build/run-ssh.test.ts)"
      has_cmd dpkg-deb || want dpkg "dpkg-deb (.deb tests)"
      ;;
    sim | chaos) simulator ;;
    ui)
      simulator
      has_file /usr/bin/chromium || want chromium "/usr/bin/chromium (test/ui drives it with playwright-core)"
      ;;
    prod)
      simulator
      compgen -G "$root/usr/lib/postgresql/*/bin/postgres" >/dev/null || want postgresql "PostgreSQL (the topology's database)"
      { has_file /usr/bin/prometheus && has_file /usr/bin/promtool; } ||
        want prometheus "/usr/bin/prometheus (scrapes the workers) and /usr/bin/promtool (checks and unit-tests the alert rules)"
      # Go, like Node.js, comes with the machine (Debian 12's golang-go is too old for the
      # server's module): scripts/build-temporal-server.sh says so when it is missing.
      ;;
    image) has_cmd docker-compose || want docker-compose "docker-compose (.ci/run checks docker-compose.yml with it)" ;;
    e2e)
      ssh_tools
      # testbed/build-image.sh's host packages (it installs them itself as root; named here too).
      has_cmd qemu-system-x86_64 || want qemu-system-x86 "qemu-system-x86_64 (the VMs)"
      has_cmd qemu-img || want qemu-utils "qemu-img (the VM disks)"
      has_cmd debootstrap || want debootstrap "debootstrap (testbed/build-image.sh)"
      has_cmd sfdisk || want fdisk "sfdisk (testbed/build-image.sh)"
      has_cmd mkfs.ext4 || want e2fsprogs "mkfs.ext4 (testbed/build-image.sh)"
      has_cmd zstd || want zstd "zstd (testbed/build-image.sh)"
      # The UEFI platforms (uefi-grub, systemd-boot): OVMF firmware for their VMs, the ESP's vfat.
      { [[ -f $root/usr/share/OVMF/OVMF_CODE_4M.fd ]] && [[ -f $root/usr/share/OVMF/OVMF_VARS_4M.fd ]]; } ||
        want ovmf "/usr/share/OVMF/OVMF_{CODE,VARS}_4M.fd (the UEFI testbed VMs' firmware)"
      has_cmd mkfs.vfat || want dosfstools "mkfs.vfat (the UEFI testbed images' ESP)"
      has_cmd bwrap || want bubblewrap "bwrap (the conformance test's simulator)"
      has_cmd make || want make "make (the source-build test)"
      # The source-build scenarios compile a kernel on this machine as their build host:
      # scripts/setup-build-host.sh's list (compilers, kbuild's tools, linux-source-6.1), kept
      # there only; probed by the files the tests check.
      for f in /usr/src/linux-source-6.1.tar.xz /usr/bin/flex /usr/bin/bison /usr/include/libelf.h /usr/bin/pahole; do
        [[ -e $root$f ]] || build_host_missing=1
      done
      ;;
    fleet) ;; # the Temporal dev server only (npm run setup)
    differential)
      has_cmd ssh || want openssh-client "ssh -G (the OpenSSH oracle)"
      has_cmd python3 || want python3 "python3 (ansible-core in a virtualenv)"
      # python3 -m venv needs ensurepip, which Debian ships in python3-venv.
      compgen -G "$root/usr/lib/python3*/ensurepip/__init__.py" >/dev/null || want python3-venv "python3 -m venv (ansible-core's virtualenv)"
      ;;
  esac
done

# The test user of the SSH tests (check): created by scripts/setup-test-host.sh.
user_missing=0
if [[ " ${suites[*]} " == *' check '* ]]; then
  if [[ -n $root ]]; then
    grep -q '^krtest:' "$root/etc/passwd" 2>/dev/null || user_missing=1
  else
    id -u krtest >/dev/null 2>&1 || user_missing=1
  fi
  # /etc/sudoers.d is readable by root only: a non-root caller sees just the user.
  if { [[ -n $root ]] || [[ -r /etc/sudoers.d ]]; } && [[ ! -f $root/etc/sudoers.d/krtest ]]; then user_missing=1; fi
fi

bare=()
full=()
if ((${#need[@]})); then
  # shellcheck disable=SC2207
  need=($(printf '%s\n' "${need[@]}" | sort -u))
  for p in "${need[@]}"; do
    if [[ $with_recommends == *" $p "* ]]; then full+=("$p"); else bare+=("$p"); fi
  done
fi
if ((${#need[@]} == 0 && user_missing == 0 && build_host_missing == 0)); then
  echo "system-packages.sh: nothing missing for ${suites[*]}"
  exit 0
fi

echo "system-packages.sh: ${suites[*]} need(s):" >&2
if ((${#why[@]})); then printf '%s\n' "${why[@]}" | sort -u | sed 's/^/  /' >&2; fi
((user_missing)) && echo "  the test user krtest with passwordless sudo (scripts/setup-test-host.sh creates it)" >&2
((build_host_missing)) && echo "  the kernel build host's packages and linux-source-6.1 (scripts/setup-build-host.sh installs them)" >&2

cmds=()
((${#need[@]})) && cmds+=("apt-get update")
((${#bare[@]})) && cmds+=("apt-get install -y --no-install-recommends ${bare[*]}")
((${#full[@]})) && cmds+=("apt-get install -y ${full[*]}")
((user_missing)) && cmds+=("bash scripts/setup-test-host.sh")
((build_host_missing)) && cmds+=("bash scripts/setup-build-host.sh")

if ((dry_run)); then
  echo "system-packages.sh: --dry-run, would run:" >&2
  printf '  %s\n' "${cmds[@]}" >&2
  exit 0
fi
if [[ "$(id -u)" != "0" ]] || [[ -n $root ]]; then
  [[ -n $root ]] && echo "system-packages.sh: KR_PROBE_ROOT is set, installing nothing" >&2
  echo "system-packages.sh: not root; run as root:" >&2
  printf '  %s\n' "${cmds[@]}" >&2
  exit 1
fi

if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  echo "system-packages.sh: installing ${need[*]}"
  apt-get update -qq
  # policy-rc.d keeps a package's postinst from starting a system-wide service (sshd on port 22,
  # PostgreSQL, Prometheus): the tests start their own.
  policy_created=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  rc=0
  if ((${#bare[@]})); then apt-get install -y -qq --no-install-recommends "${bare[@]}" || rc=$?; fi
  if ((rc == 0 && ${#full[@]})); then apt-get install -y -qq "${full[@]}" || rc=$?; fi
  if ((policy_created)); then rm -f /usr/sbin/policy-rc.d; fi
  ((rc == 0)) || exit "$rc"
fi
if ((user_missing)); then bash scripts/setup-test-host.sh; fi
if ((build_host_missing)); then bash scripts/setup-build-host.sh; fi
echo "system-packages.sh: ok (${suites[*]})"
