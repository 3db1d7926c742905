#!/usr/bin/env bash
# Builds a kernel-rollout e2e testbed image: a Debian 12 (bookworm) qcow2 disk
# with systemd, dbus, openssh-server, initramfs-tools, kexec-tools, sudo, a
# bootloader and the *older* of the two newest Debian cloud kernels. The *newer*
# kernel's .deb is downloaded next to the image so tests can upload it to the VM
# and install it like an operator would.
#
#   bash build-image.sh [PLATFORM]      (or KERNEL_ROLLOUT_TESTBED_PLATFORM=PLATFORM)
# PLATFORM (default bios-grub):
#   bios-grub     msdos label, one ext4 root, grub-pc in the MBR gap (SeaBIOS)
#   uefi-grub     GPT: ESP (vfat, /boot/efi) + ext4 root, grub-efi-amd64 (OVMF)
#   systemd-boot  GPT: ESP + ext4 root, systemd-boot, kernel-install entries (OVMF)
# The platforms share everything else (kernels, keys, networking, masked units).
#
# Output (cached, never inside the repository):
#   ${KERNEL_ROLLOUT_CACHE:-$HOME/.cache/kernel-rollout}/testbed/<hash>/
# where <hash> is a hash of the builder files and the platform. A rerun with the
# same hash does nothing but print the directory. The build happens in a temp directory that
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
# UEFI platforms: the ESP (partition 1) starts at PART_OFFSET_MIB, the root
# (partition 2) right after it; room for several kernels + initrds on systemd-boot.
ESP_SIZE_MIB=512
# Debian's ovmf package, non-secure-boot 4 MiB pair (CODE read-only, VARS copied per VM).
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
PLATFORM="${1:-${KERNEL_ROLLOUT_TESTBED_PLATFORM:-bios-grub}}"
case "$PLATFORM" in
  bios-grub | uefi-grub | systemd-boot) ;;
  *)
    echo "build-image.sh: unknown platform '$PLATFORM' (bios-grub, uefi-grub, systemd-boot)" >&2
    exit 2
    ;;
esac
UEFI=0
[[ "$PLATFORM" != bios-grub ]] && UEFI=1
# Builder files: everything that influences the image. Changing one of them
# produces a new hash and therefore a new image; the platform is hashed with them.
BUILDER_FILES=("$SCRIPT_DIR/build-image.sh")

HASH="$( { cat "${BUILDER_FILES[@]}"; printf 'platform=%s\n' "$PLATFORM"; } | sha256sum | cut -c1-16)"
FINAL_DIR="$TESTBED_ROOT/$HASH"

log() { printf '[build-image %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -f "$FINAL_DIR/kernels.json" && -f "$FINAL_DIR/base.qcow2" ]]; then
  log "cached image for builder hash $HASH ($PLATFORM)"
  echo "$FINAL_DIR"
  exit 0
fi

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap/chroot/mount)"
mkdir -p "$TESTBED_ROOT"

# Serialise concurrent builders (e.g. two test processes calling ensureImage).
exec 9>"$TESTBED_ROOT/.build.lock"
flock 9
if [[ -f "$FINAL_DIR/kernels.json" && -f "$FINAL_DIR/base.qcow2" ]]; then
  log "cached image for builder hash $HASH ($PLATFORM, built by a concurrent run)"
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
# UEFI images: the firmware (first boot, self-test, the VMs) and mkfs.vfat for the ESP.
if ((UEFI)); then
  for p in ovmf dosfstools; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
  done
fi
if ((${#need_pkgs[@]})); then
  log "installing: ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2
fi
if ((UEFI)); then
  [[ -f "$OVMF_CODE" && -f "$OVMF_VARS" ]] || die "missing $OVMF_CODE or $OVMF_VARS (package ovmf)"
fi
log "platform: $PLATFORM"
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
step "configure rootfs and install kernel/bootloader ($PLATFORM) in chroot"
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
if ((UEFI)); then
  # The ESP's vfat volume id (its "UUID" XXXX-XXXX), as the Debian installer mounts it.
  ESP_VOLID="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
  ESP_UUID="${ESP_VOLID:0:4}-${ESP_VOLID:4:4}"
  printf 'UUID=%s /boot/efi vfat umask=0077 0 1\n' "$ESP_UUID" >>"$ROOTFS/etc/fstab"
  mkdir -p "$ROOTFS/boot/efi"
  # A panic after the initramfs started is written to the firmware's variable store
  # (efi-pstore); systemd-pstore.service archives it to /var/lib/systemd/pstore next boot.
  echo efi_pstore >>"$ROOTFS/etc/initramfs-tools/modules"
fi

cat >"$ROOTFS/tmp/debconf.sel" <<'EOF'
kexec-tools kexec-tools/load_kexec boolean false
kexec-tools kexec-tools/use_grub_config boolean false
EOF
case "$PLATFORM" in
  bios-grub)
    BOOT_PKGS=(grub-pc)
    cat >>"$ROOTFS/tmp/debconf.sel" <<'EOF'
grub-pc grub-pc/install_devices multiselect
grub-pc grub-pc/install_devices_empty boolean true
grub-pc grub2/linux_cmdline string console=tty0 console=ttyS0,115200n8
grub-pc grub2/linux_cmdline_default string
EOF
    ;;
  uefi-grub)
    # No NVRAM entry (every VM starts with a fresh VARS copy): the firmware boots the removable
    # path \EFI\BOOT\BOOTX64.EFI, which grub-install (and the package's postinst on upgrades)
    # keeps up to date with force_efi_extra_removable.
    BOOT_PKGS=(grub-efi-amd64 efibootmgr dosfstools)
    cat >>"$ROOTFS/tmp/debconf.sel" <<'EOF'
grub-efi-amd64 grub2/force_efi_extra_removable boolean true
grub-efi-amd64 grub2/update_nvram boolean false
grub-efi-amd64 grub2/linux_cmdline string console=tty0 console=ttyS0,115200n8
grub-efi-amd64 grub2/linux_cmdline_default string
EOF
    ;;
  systemd-boot)
    # kernel-install takes the command line from /etc/kernel/cmdline (else /proc/cmdline, i.e.
    # the first boot's -append): the same arguments GRUB gives the BIOS image.
    mkdir -p "$ROOTFS/etc/kernel"
    echo "root=UUID=$ROOT_UUID ro console=tty0 console=ttyS0,115200n8" >"$ROOTFS/etc/kernel/cmdline"
    BOOT_PKGS=(systemd-boot efibootmgr dosfstools)
    ;;
esac
chroot "$ROOTFS" debconf-set-selections /tmp/debconf.sel
rm -f "$ROOTFS/tmp/debconf.sel"
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get update >&2
chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get install -y --no-install-recommends \
  "$OLD_PKG" "${BOOT_PKGS[@]}" kexec-tools >&2
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

if [[ "$PLATFORM" == systemd-boot ]]; then
  # No GRUB on this image, but the /etc/default/grub a host moved from GRUB keeps (grub2-common's
  # conffile is not purged), so bootloader detection meets it for real.
  cat >"$ROOTFS/etc/default/grub" <<'EOF'
# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
# For full documentation of the options in this file, see:
#   info -f grub -n 'Simple configuration'

GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""
EOF
fi
# GRUB: serial console, short timeout. GRUB_DEFAULT stays 0 as Debian ships it.
# "quiet" is dropped so the kernel banner ("Linux version ...") reaches the
# serial log for every boot (the harness counts boots with it).
[[ "$PLATFORM" == systemd-boot ]] || sed -i \
  -e 's/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=1/' \
  -e 's/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT=""/' \
  -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200n8"/' \
  "$ROOTFS/etc/default/grub"
[[ "$PLATFORM" == systemd-boot ]] || cat >>"$ROOTFS/etc/default/grub" <<'EOF'

# kernel-rollout testbed: serial console (qemu -nographic / serial log file)
GRUB_TERMINAL="serial console"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"
EOF
grep -q '^GRUB_DEFAULT=0$' "$ROOTFS/etc/default/grub" || die "expected Debian's GRUB_DEFAULT=0 in /etc/default/grub"

# First boot (with qemu -kernel): install the bootloader to the disk the Debian way, then power off.
# Each platform's part, then the common end.
case "$PLATFORM" in
  bios-grub)
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
EOF
    ;;
  uefi-grub)
    cat >"$ROOTFS/usr/local/sbin/testbed-firstboot" <<'EOF'
#!/bin/sh
set -eux
mountpoint -q /boot/efi
# EFI/debian/grubx64.efi plus the removable-path copy EFI/BOOT/BOOTX64.EFI; no NVRAM entry.
grub-install --target=x86_64-efi --efi-directory=/boot/efi --bootloader-id=debian \
  --force-extra-removable --no-nvram
test -s /boot/efi/EFI/BOOT/BOOTX64.EFI
# Rebuild the chroot-built initrd (MODULES=most, no fsck) as a real machine has it.
update-initramfs -u -k all
update-grub
test -s /boot/grub/grub.cfg
EOF
    ;;
  systemd-boot)
    cat >"$ROOTFS/usr/local/sbin/testbed-firstboot" <<'EOF'
#!/bin/sh
set -eux
mountpoint -q /boot/efi
cat /etc/machine-id
# What the systemd-boot package's postinst does once an ESP is there (in the chroot it had none):
# install the loader (EFI/systemd/systemd-bootx64.efi and EFI/BOOT/BOOTX64.EFI) and register the
# installed kernels with kernel-install. The NVRAM entry bootctl writes stays in this boot's
# throwaway VARS: every VM starts from a fresh copy and boots the removable path.
bootctl install --make-machine-id-directory=auto
# A 1 s menu, so the serial log shows which entry the loader picked; no "default" line.
printf 'timeout 1\n' >/boot/efi/loader/loader.conf
# Rebuild the chroot-built initrd as a real machine has it (MODULES=dep, fsck); initramfs-tools'
# post-update hook of systemd-boot copies it to the ESP via kernel-install.
update-initramfs -u -k all
for k in /boot/vmlinuz-*; do
  kernel-install add "${k#/boot/vmlinuz-}" "$k" "/boot/initrd.img-${k#/boot/vmlinuz-}"
done
test -s /boot/efi/EFI/BOOT/BOOTX64.EFI
ls /boot/efi/loader/entries/*.conf
bootctl list --no-pager
EOF
    ;;
esac
cat >>"$ROOTFS/usr/local/sbin/testbed-firstboot" <<'EOF'
rm -f /etc/testbed-firstboot
systemctl disable testbed-firstboot.service
sync
echo TESTBED-FIRSTBOOT-OK >/dev/ttyS0
systemctl poweroff
EOF
chmod 755 "$ROOTFS/usr/local/sbin/testbed-firstboot"
cat >"$ROOTFS/etc/systemd/system/testbed-firstboot.service" <<'EOF'
[Unit]
Description=kernel-rollout testbed first boot (bootloader install, update-initramfs)
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
if ((UEFI)); then
  step "assemble disk (GPT: ESP ${ESP_SIZE_MIB} MiB vfat at ${PART_OFFSET_MIB} MiB, ext4 root after it)"
  ROOT_START_MIB=$((PART_OFFSET_MIB + ESP_SIZE_MIB))
  FS_MIB=$((DISK_SIZE_MIB - ROOT_START_MIB - 1)) # the last MiB holds the backup GPT
  ROOT_DEV=/dev/vda2
  truncate -s "${ESP_SIZE_MIB}M" "$WORK/esp.img"
  mkfs.vfat -F 32 -n ESP -i "$ESP_VOLID" "$WORK/esp.img" >&2
else
  step "assemble disk (msdos label, ${PART_OFFSET_MIB} MiB gap for GRUB core.img)"
  ROOT_START_MIB=$PART_OFFSET_MIB
  FS_MIB=$((DISK_SIZE_MIB - PART_OFFSET_MIB))
  ROOT_DEV=/dev/vda1
fi
truncate -s "${FS_MIB}M" "$WORK/fs.img"
mkfs.ext4 -q -F -L testbed-root -U "$ROOT_UUID" -d "$ROOTFS" "$WORK/fs.img" >&2
truncate -s "${DISK_SIZE_MIB}M" "$WORK/disk.raw"
if ((UEFI)); then
  printf 'label: gpt\nstart=%s, size=%s, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System Partition"\nstart=%s, size=%s, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="testbed-root"\n' \
    "$((PART_OFFSET_MIB * 2048))" "$((ESP_SIZE_MIB * 2048))" "$((ROOT_START_MIB * 2048))" "$((FS_MIB * 2048))" |
    sfdisk -q "$WORK/disk.raw" >&2
  dd if="$WORK/esp.img" of="$WORK/disk.raw" bs=1M seek="$PART_OFFSET_MIB" conv=notrunc,sparse status=none
  rm -f "$WORK/esp.img"
else
  printf 'label: dos\nstart=%s, type=83, bootable\n' "$((PART_OFFSET_MIB * 2048))" | sfdisk -q "$WORK/disk.raw" >&2
fi
dd if="$WORK/fs.img" of="$WORK/disk.raw" bs=1M seek="$ROOT_START_MIB" conv=notrunc,sparse status=none
rm -f "$WORK/fs.img"
rm -rf "$ROOTFS"
step_done assemble-disk

# --------------------------------------------------------------------------
# UEFI: OVMF's CODE read-only, and a fresh copy of its VARS for each qemu (first boot, self-test).
firmware_args() { # firmware_args VARS_COPY -> qemu arguments (none for BIOS)
  ((UEFI)) || return 0
  cp "$OVMF_VARS" "$1"
  printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
    -drive "if=pflash,format=raw,unit=1,file=$1"
}
case "$PLATFORM" in
  bios-grub) step "first boot (qemu -kernel, TCG): grub-install /dev/vda, update-initramfs, update-grub in the guest" ;;
  uefi-grub) step "first boot (OVMF, qemu -kernel, TCG): grub-install to the ESP, update-initramfs, update-grub in the guest" ;;
  systemd-boot) step "first boot (OVMF, qemu -kernel, TCG): bootctl install, update-initramfs, kernel-install in the guest" ;;
esac
FIRSTBOOT_LOG="$OUT/firstboot-serial.log"
mapfile -t FW_ARGS < <(firmware_args "$WORK/firstboot-vars.fd")
timeout 900 qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -display none -no-reboot "${FW_ARGS[@]}" \
  -drive file="$WORK/disk.raw",format=raw,if=virtio \
  -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
  -append "root=$ROOT_DEV rw console=ttyS0,115200n8 panic=-1" \
  -nic none -serial file:"$FIRSTBOOT_LOG" -monitor none >&2 || die "first boot qemu failed (see $FIRSTBOOT_LOG)"
grep -q TESTBED-FIRSTBOOT-OK "$FIRSTBOOT_LOG" || die "first boot did not finish (see $FIRSTBOOT_LOG)"
step_done firstboot

# --------------------------------------------------------------------------
step "convert to qcow2"
qemu-img convert -f raw -O qcow2 "$WORK/disk.raw" "$OUT/base.qcow2"
rm -f "$WORK/disk.raw" "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/firstboot-vars.fd"
step_done qcow2

# --------------------------------------------------------------------------
step "self-test: boot through the firmware and loader ($PLATFORM, throwaway overlay) and log in over SSH"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)); }
PORT="$(free_port)"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$OUT/ssh_host_ed25519_key.pub")" >"$WORK/known_hosts"
qemu-img create -q -f qcow2 -b "$OUT/base.qcow2" -F qcow2 "$WORK/selftest.qcow2"
mapfile -t FW_ARGS < <(firmware_args "$WORK/selftest-vars.fd")
t_boot=$(date +%s)
qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -display none "${FW_ARGS[@]}" \
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
if ((UEFI)); then
  # Booted by OVMF through the loader on the removable path, ESP mounted, efi-pstore loaded.
  "${SSH[@]}" 'test -d /sys/firmware/efi && mountpoint -q /boot/efi && test -s /boot/efi/EFI/BOOT/BOOTX64.EFI && grep -q "^efi_pstore " /proc/modules' ||
    die "self-test: not booted through UEFI with /boot/efi mounted and efi_pstore loaded"
  grep -qa 'BdsDxe' "$OUT/selftest-serial.log" || die "self-test: no OVMF lines (BdsDxe) on the serial console"
fi
if [[ "$PLATFORM" == systemd-boot ]]; then
  "${SSH[@]}" 'bootctl status --no-pager 2>/dev/null | grep -q "Product: systemd-boot"' ||
    die "self-test: bootctl status does not name systemd-boot as the booted loader"
fi
kill "$QEMU_PID"; wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=""
rm -f "$WORK/selftest.qcow2" "$WORK/known_hosts" "$WORK/selftest-vars.fd"
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
  "platform": "$PLATFORM",
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
