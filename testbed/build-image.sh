#!/usr/bin/env bash
# Builds the kernel-rollout e2e testbed image: a Debian 12 (bookworm) BIOS/GRUB
# qcow2 disk with systemd, dbus, openssh-server, grub-pc, initramfs-tools,
# kexec-tools, sudo and the *older* of the two newest Debian cloud kernels.
# The *newer* kernel's .deb is downloaded next to the image so tests can upload
# it to the VM and install it like an operator would.
#
# Output (cached, never inside the repository):
#   ${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}/testbed/<hash>/
# where <hash> is a hash of the builder files. A rerun with the same hash does
# nothing but print the directory. The build happens in a temp directory that
# is renamed atomically at the end, so a half build is never used.
#
# The last line on stdout is the final directory path; progress goes to stderr
# and to build.log in the output directory.
#
# Needs root (debootstrap, chroot, mount). Works offline except for Debian's
# package mirror, read from this machine's APT configuration.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}"
TESTBED_ROOT="$CACHE_ROOT/testbed"
SUITE=bookworm
DISK_SIZE_MIB=4096
PART_OFFSET_MIB=1
# Builder files: everything that influences the image. Changing one of them
# produces a new hash and therefore a new image.
BUILDER_FILES=("$SCRIPT_DIR/build-image.sh")

HASH="$(cat "${BUILDER_FILES[@]}" | sha256sum | cut -c1-16)"
FINAL_DIR="$TESTBED_ROOT/$HASH"

log() { printf '[build-image %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -f "$FINAL_DIR/kernels.json" && -f "$FINAL_DIR/base.qcow2" ]]; then
  log "cached image for builder hash $HASH"
  echo "$FINAL_DIR"
  exit 0
fi

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap/chroot/mount)"
mkdir -p "$TESTBED_ROOT"

# Serialise concurrent builders (e.g. two test processes calling ensureImage).
exec 9>"$TESTBED_ROOT/.build.lock"
flock 9
if [[ -f "$FINAL_DIR/kernels.json" && -f "$FINAL_DIR/base.qcow2" ]]; then
  log "cached image for builder hash $HASH (built by a concurrent run)"
  echo "$FINAL_DIR"
  exit 0
fi

WORK="$(mktemp -d "$TESTBED_ROOT/.tmp-$HASH-XXXXXX")"
ROOTFS="$WORK/rootfs"
OUT="$WORK/out"
mkdir -p "$ROOTFS" "$OUT"
BUILD_LOG="$OUT/build.log"
exec 2> >(tee -a "$BUILD_LOG" >&2)
T_START=$(date +%s)
QEMU_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$QEMU_PID" ]] && kill -0 "$QEMU_PID" 2>/dev/null; then kill "$QEMU_PID" 2>/dev/null || true; fi
  for m in dev/pts dev proc sys run; do
    if mountpoint -q "$ROOTFS/$m" 2>/dev/null; then umount -l "$ROOTFS/$m" || true; fi
  done
  if [[ $rc -ne 0 ]]; then
    log "build failed (rc=$rc); leaving $WORK for inspection (build.log inside out/)"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

step_t0=0
step() { step_t0=$(date +%s); log "== $*"; }
step_done() { log "   done in $(( $(date +%s) - step_t0 )) s"; printf 'TIMING %s %s\n' "$1" "$(( $(date +%s) - step_t0 ))" >>"$BUILD_LOG"; }

# --------------------------------------------------------------------------
step "host dependencies"
need_pkgs=()
for p in debootstrap qemu-system-x86 qemu-utils fdisk e2fsprogs openssh-client zstd coreutils util-linux; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  log "installing: ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2
fi
step_done host-deps

# --------------------------------------------------------------------------
step "mirror from this machine's APT configuration"
# Prints "URI SUITE" pairs of enabled Debian sources (deb822 and one-line).
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i, $(i+1) }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no") { n=split(uris,u," "); m=split(suites,s," "); for(i=1;i<=n;i++) for(j=1;j<=m;j++) print u[i], s[j] } types=""; uris=""; suites=""; enabled="" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      { key=tolower($1); sub(/:$/,"",key); $1=""; sub(/^ +/,""); val=$0 }
      key=="types" { types=val } key=="uris" { uris=val } key=="suites" { suites=val } key=="enabled" { enabled=tolower(val) }
      END { flush() }' "$f"
  done
}
MIRROR="$(apt_sources | awk -v s="$SUITE" '$2==s { print $1; exit }')"
SEC_MIRROR="$(apt_sources | awk -v s="$SUITE-security" '$2==s { print $1; exit }')"
[[ -n "$MIRROR" ]] || die "no enabled '$SUITE' source in /etc/apt/sources.list(.d)"
MIRROR="${MIRROR%/}"; SEC_MIRROR="${SEC_MIRROR%/}"
log "mirror: $MIRROR ; security: ${SEC_MIRROR:-<none>}"
step_done mirror

# --------------------------------------------------------------------------
step "choose kernels"
if ! apt-cache pkgnames linux-image-6.1.0- >/dev/null 2>&1 || [[ -z "$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null)" ]]; then
  apt-get update >&2
fi
mapfile -t KERNELS < <(apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' | sort -V |
  while read -r p; do
    cand="$(apt-cache policy "$p" | awk '/Candidate:/ { print $2 }')"
    [[ -n "$cand" && "$cand" != "(none)" ]] && echo "$p"
  done | tail -n 2)
((${#KERNELS[@]} == 2)) || die "need two installable linux-image-6.1.0-*-cloud-amd64 packages, found: ${KERNELS[*]:-none}"
OLD_PKG="${KERNELS[0]}"; NEW_PKG="${KERNELS[1]}"
OLD_KVER="${OLD_PKG#linux-image-}"; NEW_KVER="${NEW_PKG#linux-image-}"
log "old (installed in image): $OLD_KVER ; new (.deb for tests): $NEW_KVER"
step_done choose-kernels

# --------------------------------------------------------------------------
step "download $NEW_PKG"
mkdir -p "$OUT/debs"
(cd "$OUT/debs" && apt-get download "$NEW_PKG" >&2)
NEW_DEB_NAME="$(cd "$OUT/debs" && ls -1 "${NEW_PKG}"_*.deb | head -n1)"
[[ -n "$NEW_DEB_NAME" ]] || die "apt-get download produced no .deb"
NEW_DEB_SHA="$(sha256sum "$OUT/debs/$NEW_DEB_NAME" | cut -d' ' -f1)"
step_done download-new-kernel

# --------------------------------------------------------------------------
step "debootstrap $SUITE (minbase)"
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,udev,dbus,libpam-systemd,kmod,iproute2,procps,openssh-server,sudo,initramfs-tools,zstd,less \
  "$SUITE" "$ROOTFS" "$MIRROR" >&2
step_done debootstrap

# --------------------------------------------------------------------------
step "configure rootfs and install kernel/grub in chroot"
mount -t proc proc "$ROOTFS/proc"
mount -t sysfs sysfs "$ROOTFS/sys"
mount --bind /dev "$ROOTFS/dev"
mount --bind /dev/pts "$ROOTFS/dev/pts"
mount -t tmpfs tmpfs "$ROOTFS/run"

{
  echo "deb $MIRROR $SUITE main"
  echo "deb $MIRROR $SUITE-updates main"
  [[ -n "$SEC_MIRROR" ]] && echo "deb $SEC_MIRROR $SUITE-security main"
} >"$ROOTFS/etc/apt/sources.list"
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"; chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"

# Fast initramfs generation in the guest: only the modules this machine needs.
# (MODULES=dep cannot work inside the build chroot, so the old kernel's
# initramfs is built with MODULES=most first and the setting flipped after.)
sed -i -e 's/^COMPRESS=.*/COMPRESS=zstd/' "$ROOTFS/etc/initramfs-tools/initramfs.conf"
grep -q '^COMPRESS=' "$ROOTFS/etc/initramfs-tools/initramfs.conf" || echo 'COMPRESS=zstd' >>"$ROOTFS/etc/initramfs-tools/initramfs.conf"

# fstab before the kernel is installed (the chroot's initrd still cannot
# resolve UUID= devices, so the first boot rebuilds it in the guest).
ROOT_UUID="$(cat /proc/sys/kernel/random/uuid)"
echo testbed >"$ROOTFS/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttestbed\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOTFS/etc/hosts"
printf '# <file system> <mount point> <type> <options> <dump> <pass>\nUUID=%s / ext4 errors=remount-ro 0 1\n' "$ROOT_UUID" >"$ROOTFS/etc/fstab"

cat >"$ROOTFS/tmp/debconf.sel" <<'EOF'
kexec-tools kexec-tools/load_kexec boolean false
kexec-tools kexec-tools/use_grub_config boolean false
grub-pc grub-pc/install_devices multiselect
grub-pc grub-pc/install_devices_empty boolean true
grub-pc grub2/linux_cmdline string console=tty0 console=ttyS0,115200n8
grub-pc grub2/linux_cmdline_default string
EOF
chroot "$ROOTFS" debconf-set-selections /tmp/debconf.sel
rm -f "$ROOTFS/tmp/debconf.sel"
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get update >&2
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get install -y --no-install-recommends \
  "$OLD_PKG" grub-pc kexec-tools >&2
chroot "$ROOTFS" env LC_ALL=C apt-get clean
sed -i -e 's/^MODULES=.*/MODULES=dep/' "$ROOTFS/etc/initramfs-tools/initramfs.conf"
# zstd -1 instead of mkinitramfs's default -9: the same initrd, 1.2 MB larger, compressed in
# under 2 s instead of about 14 s of TCG per update-initramfs (every kernel install runs one).
echo 'COMPRESSLEVEL=1' >>"$ROOTFS/etc/initramfs-tools/initramfs.conf"
rm -f "$ROOTFS/usr/sbin/policy-rc.d"


# Network: DHCP on the virtio NIC (qemu user-mode networking).
mkdir -p "$ROOTFS/etc/systemd/network"
cat >"$ROOTFS/etc/systemd/network/80-testbed-dhcp.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
EOF
chroot "$ROOTFS" systemctl enable systemd-networkd.service >&2
# Nothing in the testbed needs "network online"; do not let it delay boots.
chroot "$ROOTFS" systemctl mask systemd-networkd-wait-online.service >&2
# Guest services nothing in the testbed needs, each CPU taken from a one-vCPU TCG boot or from
# a test while it runs: e2scrub_reap (LVM snapshots of e2scrub; no LVM here: ~10 s of every
# boot), and the periodic jobs (apt's daily runs, fstrim, e2scrub, dpkg's database backup) that
# may fire in the middle of a scenario. None is a step kernel-rollout runs or relies on.
# (kexec-load stays: the kexec scenario must meet Debian's kexec-tools as a real host has it.)
chroot "$ROOTFS" systemctl mask e2scrub_reap.service e2scrub_all.timer apt-daily.timer \
  apt-daily-upgrade.timer fstrim.timer dpkg-db-backup.timer >&2

# Persistent journal, so tests can look at previous boots (journalctl -b -1).
mkdir -p "$ROOTFS/var/log/journal"

# SSH: root by key only. Fresh client key pair and host keys per build.
ssh-keygen -q -t ed25519 -N '' -C "kernel-rollout-testbed-$HASH" -f "$OUT/id_ed25519"
install -d -m 700 "$ROOTFS/root/.ssh"
install -m 600 "$OUT/id_ed25519.pub" "$ROOTFS/root/.ssh/authorized_keys"
rm -f "$ROOTFS"/etc/ssh/ssh_host_*
ssh-keygen -q -t ed25519 -N '' -C "root@testbed" -f "$ROOTFS/etc/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t rsa -b 3072 -N '' -C "root@testbed" -f "$ROOTFS/etc/ssh/ssh_host_rsa_key"
ssh-keygen -q -t ecdsa -N '' -C "root@testbed" -f "$ROOTFS/etc/ssh/ssh_host_ecdsa_key"
cp "$ROOTFS/etc/ssh/ssh_host_ed25519_key.pub" "$OUT/ssh_host_ed25519_key.pub"
cat >"$ROOTFS/etc/ssh/sshd_config.d/10-testbed.conf" <<'EOF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
EOF
passwd -R "$ROOTFS" -l root >/dev/null

# GRUB: serial console, short timeout. GRUB_DEFAULT stays 0 as Debian ships it.
# "quiet" is dropped so the kernel banner ("Linux version ...") reaches the
# serial log for every boot (the harness counts boots with it).
sed -i \
  -e 's/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=1/' \
  -e 's/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT=""/' \
  -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200n8"/' \
  "$ROOTFS/etc/default/grub"
cat >>"$ROOTFS/etc/default/grub" <<'EOF'

# kernel-rollout testbed: serial console (qemu -nographic / serial log file)
GRUB_TERMINAL="serial console"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"
EOF
grep -q '^GRUB_DEFAULT=0$' "$ROOTFS/etc/default/grub" || die "expected Debian's GRUB_DEFAULT=0 in /etc/default/grub"

# First boot (with qemu -kernel): install GRUB to the disk the Debian way, then power off.
cat >"$ROOTFS/usr/local/sbin/testbed-firstboot" <<'EOF'
#!/bin/sh
set -eux
grub-install /dev/vda
echo "grub-pc grub-pc/install_devices multiselect /dev/vda" | debconf-set-selections
# Rebuild the chroot-built initrd (MODULES=most, no fsck: the chroot could not
# resolve the root device) the way a real machine has it: MODULES=dep, fsck.
update-initramfs -u -k all
update-grub
test -s /boot/grub/grub.cfg
rm -f /etc/testbed-firstboot
systemctl disable testbed-firstboot.service
sync
echo TESTBED-FIRSTBOOT-OK >/dev/ttyS0
systemctl poweroff
EOF
chmod 755 "$ROOTFS/usr/local/sbin/testbed-firstboot"
cat >"$ROOTFS/etc/systemd/system/testbed-firstboot.service" <<'EOF'
[Unit]
Description=kernel-rollout testbed first boot (grub-install, update-initramfs, update-grub)
ConditionPathExists=/etc/testbed-firstboot
After=local-fs.target systemd-udev-settle.service
Wants=systemd-udev-settle.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/testbed-firstboot
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
EOF
touch "$ROOTFS/etc/testbed-firstboot"
chroot "$ROOTFS" systemctl enable testbed-firstboot.service >&2

cp "$ROOTFS/boot/vmlinuz-$OLD_KVER" "$WORK/vmlinuz"
cp "$ROOTFS/boot/initrd.img-$OLD_KVER" "$WORK/initrd.img"

for m in dev/pts dev proc sys run; do umount "$ROOTFS/$m"; done
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin
: >"$ROOTFS/etc/machine-id"
step_done chroot-configure

# --------------------------------------------------------------------------
step "assemble disk (msdos label, ${PART_OFFSET_MIB} MiB gap for GRUB core.img)"
FS_MIB=$((DISK_SIZE_MIB - PART_OFFSET_MIB))
truncate -s "${FS_MIB}M" "$WORK/fs.img"
mkfs.ext4 -q -F -L testbed-root -U "$ROOT_UUID" -d "$ROOTFS" "$WORK/fs.img" >&2
truncate -s "${DISK_SIZE_MIB}M" "$WORK/disk.raw"
printf 'label: dos\nstart=%s, type=83, bootable\n' "$((PART_OFFSET_MIB * 2048))" | sfdisk -q "$WORK/disk.raw" >&2
dd if="$WORK/fs.img" of="$WORK/disk.raw" bs=1M seek="$PART_OFFSET_MIB" conv=notrunc,sparse status=none
rm -f "$WORK/fs.img"
rm -rf "$ROOTFS"
step_done assemble-disk

# --------------------------------------------------------------------------
step "first boot (qemu -kernel, TCG): grub-install /dev/vda, update-initramfs, update-grub in the guest"
FIRSTBOOT_LOG="$OUT/firstboot-serial.log"
timeout 900 qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -display none -no-reboot \
  -drive file="$WORK/disk.raw",format=raw,if=virtio \
  -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
  -append "root=/dev/vda1 rw console=ttyS0,115200n8 panic=-1" \
  -nic none -serial file:"$FIRSTBOOT_LOG" -monitor none >&2 || die "first boot qemu failed (see $FIRSTBOOT_LOG)"
grep -q TESTBED-FIRSTBOOT-OK "$FIRSTBOOT_LOG" || die "first boot did not finish (see $FIRSTBOOT_LOG)"
step_done firstboot

# --------------------------------------------------------------------------
step "convert to qcow2"
qemu-img convert -f raw -O qcow2 "$WORK/disk.raw" "$OUT/base.qcow2"
rm -f "$WORK/disk.raw" "$WORK/vmlinuz" "$WORK/initrd.img"
step_done qcow2

# --------------------------------------------------------------------------
step "self-test: boot through GRUB (throwaway overlay) and log in over SSH"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)); }
PORT="$(free_port)"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$OUT/ssh_host_ed25519_key.pub")" >"$WORK/known_hosts"
qemu-img create -q -f qcow2 -b "$OUT/base.qcow2" -F qcow2 "$WORK/selftest.qcow2"
t_boot=$(date +%s)
qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -display none \
  -drive file="$WORK/selftest.qcow2",format=qcow2,if=virtio \
  -netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$PORT"-:22 -device virtio-net-pci,netdev=n0 \
  -serial file:"$OUT/selftest-serial.log" -monitor none >&2 &
QEMU_PID=$!
SSH=(ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$WORK/known_hosts" -o ConnectTimeout=5
  -o IdentitiesOnly=yes -i "$OUT/id_ed25519" -p "$PORT" root@127.0.0.1)
ok=""
while (( $(date +%s) - t_boot < 600 )); do
  kill -0 "$QEMU_PID" 2>/dev/null || die "qemu exited during self-test"
  if out="$("${SSH[@]}" 'uname -r' 2>/dev/null)"; then ok=1; break; fi
  sleep 1
done
[[ -n "$ok" ]] || die "self-test: no SSH within 600 s"
BOOT_TO_SSH=$(( $(date +%s) - t_boot ))
[[ "$out" == "$OLD_KVER" ]] || die "self-test: running kernel '$out', expected $OLD_KVER"
log "self-test: SSH answered after ${BOOT_TO_SSH} s, kernel $out"
printf 'TIMING selftest-boot-to-ssh %s\n' "$BOOT_TO_SSH" >>"$BUILD_LOG"
grep -q 'Linux version' "$OUT/selftest-serial.log" || die "self-test: no 'Linux version' on the serial console"
grep -q 'fsck not present' "$OUT/selftest-serial.log" && die "self-test: the initramfs has no fsck"
kill "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=""
rm -f "$WORK/selftest.qcow2" "$WORK/known_hosts"
step_done selftest

# --------------------------------------------------------------------------
cat >"$OUT/kernels.json" <<EOF
{
  "old": "$OLD_KVER",
  "new": "$NEW_KVER",
  "newDeb": "$FINAL_DIR/debs/$NEW_DEB_NAME",
  "newDebSha256": "$NEW_DEB_SHA"
}
EOF
cat >"$OUT/image.json" <<EOF
{
  "builderHash": "$HASH",
  "suite": "$SUITE",
  "rootUuid": "$ROOT_UUID",
  "hostKeyEd25519": "$(cut -d' ' -f1,2 "$OUT/ssh_host_ed25519_key.pub")",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
T_TOTAL=$(( $(date +%s) - T_START ))
printf 'TIMING total %s\n' "$T_TOTAL" >>"$BUILD_LOG"
log "total build time ${T_TOTAL} s"

rm -rf "$FINAL_DIR.old"
[[ -e "$FINAL_DIR" ]] && mv -T "$FINAL_DIR" "$FINAL_DIR.old"
mv -T "$OUT" "$FINAL_DIR"
rm -rf "$FINAL_DIR.old"
echo "$FINAL_DIR"
