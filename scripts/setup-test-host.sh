#!/usr/bin/env bash
# Prepares this machine for the SSH transport tests (test/ssh). Run once as root; idempotent.
#  - installs openssh-server, openssh-sftp-server, openssh-client, sudo and openssl if missing
#  - creates the non-root test user `krtest` (home dir, login shell) with passwordless sudo
#  --dry-run: only print the packages it would install, change nothing
set -euo pipefail

dry_run=0
[[ ${1:-} == --dry-run ]] && dry_run=1

if ((!dry_run)) && [[ "$(id -u)" != "0" ]]; then
  echo "setup-test-host.sh: must run as root" >&2
  exit 1
fi

TEST_USER=krtest
SUDOERS_FILE=/etc/sudoers.d/krtest

need=()
[[ -x /usr/sbin/sshd ]] || need+=(openssh-server) # the tests run /usr/sbin/sshd itself
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v ssh-agent >/dev/null 2>&1 || need+=(openssh-client)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v visudo >/dev/null 2>&1 || need+=(sudo)
# sshd's SFTP subsystem (uploads): its own package, only "recommended" by openssh-server, so the
# --no-install-recommends install below would skip it.
[[ -x /usr/lib/openssh/sftp-server ]] || need+=(openssh-sftp-server)
# The Temporal profile test makes its CA and certificates with openssl.
command -v openssl >/dev/null 2>&1 || need+=(openssl)

if ((${#need[@]} > 0)); then
  # shellcheck disable=SC2207
  need=($(printf '%s\n' "${need[@]}" | sort -u))
fi
if ((dry_run)); then
  echo "setup-test-host.sh: --dry-run, would install: ${need[*]:-nothing}"
  exit 0
fi
if ((${#need[@]} > 0)); then
  echo "setup-test-host.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the package's postinst from starting a system-wide sshd on port 22.
  policy_created=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}"
  if ((policy_created)); then rm -f /usr/sbin/policy-rc.d; fi
fi

# sshd refuses to start without its privilege-separation directory.
mkdir -p /run/sshd
chmod 0755 /run/sshd

if ! id -u "$TEST_USER" >/dev/null 2>&1; then
  echo "setup-test-host.sh: creating user $TEST_USER"
  useradd --create-home --shell /bin/bash "$TEST_USER"
fi
home_dir="$(getent passwd "$TEST_USER" | cut -d: -f6)"
if [[ ! -d "$home_dir" ]]; then
  mkdir -p "$home_dir"
  chown "$TEST_USER:$TEST_USER" "$home_dir"
  chmod 0750 "$home_dir"
fi
# A locked password ("!") makes sshd (UsePAM no) refuse even key logins; "*" means
# "no password login" without locking the account.
shadow_pw="$(getent shadow "$TEST_USER" | cut -d: -f2)"
if [[ "$shadow_pw" == '!'* ]]; then
  usermod -p '*' "$TEST_USER"
fi

want="$TEST_USER ALL=(ALL) NOPASSWD:ALL"
if [[ ! -f "$SUDOERS_FILE" ]] || [[ "$(cat "$SUDOERS_FILE")" != "$want" ]]; then
  tmp="$(mktemp /etc/sudoers.d/.krtest.XXXXXX)"
  printf '%s\n' "$want" >"$tmp"
  chmod 0440 "$tmp"
  if ! visudo -c -q -f "$tmp"; then
    rm -f "$tmp"
    echo "setup-test-host.sh: generated sudoers entry failed visudo -c" >&2
    exit 1
  fi
  mv -f "$tmp" "$SUDOERS_FILE"
fi
chmod 0440 "$SUDOERS_FILE"
visudo -c -q

echo "setup-test-host.sh: ok (user $TEST_USER, passwordless sudo, sshd at /usr/sbin/sshd)"
