"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TESTBED_KERNEL_FRAGMENTS = exports.TESTBED_KERNEL_BASE = void 0;
/** The config base: kbuild's tinyconfig, then the tree's kvm_guest.config. */
exports.TESTBED_KERNEL_BASE = {
    kind: 'make',
    target: 'tinyconfig',
    treeFragments: ['kvm_guest.config'],
};
/** The lines after the base (see the comment of each group for why it is there). */
exports.TESTBED_KERNEL_FRAGMENTS = [
    // tinyconfig on x86 answers "no" to 64BIT: the hosts are amd64.
    'CONFIG_64BIT=y',
    // tinyconfig turns printk off: no "Linux version" banner on the serial console (the harness
    // and the rehearsal's record look for it), no panic message.
    'CONFIG_PRINTK=y',
    // GRUB boots the kernel with Debian's initramfs (root=UUID=… needs its udev and blkid), which
    // initramfs-tools compresses with zstd here (COMPRESS=zstd in the image).
    'CONFIG_BLK_DEV_INITRD=y',
    'CONFIG_RD_ZSTD=y',
    // mkinitramfs stops without /lib/modules/<release>, which make modules_install only writes
    // with module support; every driver below is built in all the same.
    'CONFIG_MODULES=y',
    'CONFIG_EXT4_FS=y',
    // systemd's own needs (its README, "REQUIREMENTS"): devtmpfs, cgroups, inotify, signalfd,
    // timerfd, eventfd, epoll, flock (udev locks block devices), name_to_handle_at, futexes,
    // shared memory (/dev/shm, memfd), POSIX timers, users other than root (MULTIUSER), /proc with
    // /proc/sys (the health check reads /proc/sys/kernel/random/boot_id), sysfs, tmpfs with ACLs
    // and xattrs, autofs, AF_UNIX; namespaces for the units' PrivateTmp= and friends.
    // tinyconfig's BASE_SMALL caps pid_max at 32768, and Debian's systemd sets kernel.pid_max to
    // 4194304 (50-pid-max.conf): systemd-sysctl.service fails, the system is "degraded".
    'CONFIG_BASE_FULL=y',
    'CONFIG_DEVTMPFS=y',
    'CONFIG_DEVTMPFS_MOUNT=y',
    'CONFIG_CGROUPS=y',
    'CONFIG_NAMESPACES=y',
    'CONFIG_INOTIFY_USER=y',
    'CONFIG_SIGNALFD=y',
    'CONFIG_TIMERFD=y',
    'CONFIG_EVENTFD=y',
    'CONFIG_EPOLL=y',
    'CONFIG_FILE_LOCKING=y',
    'CONFIG_FHANDLE=y',
    'CONFIG_FUTEX=y',
    'CONFIG_SHMEM=y',
    'CONFIG_POSIX_TIMERS=y',
    'CONFIG_MULTIUSER=y',
    'CONFIG_PROC_FS=y',
    'CONFIG_PROC_SYSCTL=y',
    'CONFIG_SYSFS=y',
    'CONFIG_TMPFS=y',
    'CONFIG_TMPFS_POSIX_ACL=y',
    'CONFIG_AUTOFS_FS=y',
    'CONFIG_UNIX=y',
    // systemd-networkd's DHCP client sends and receives on an AF_PACKET socket.
    'CONFIG_PACKET=y',
    // sshd's sessions with a terminal (/dev/pts).
    'CONFIG_UNIX98_PTYS=y',
    // #! scripts (initramfs-tools' /init, maintainer scripts).
    'CONFIG_BINFMT_SCRIPT=y',
    // The clock from the VM's CMOS RTC at boot, not 1970.
    'CONFIG_RTC_CLASS=y',
    'CONFIG_RTC_DRV_CMOS=y',
    '# CONFIG_DEBUG_INFO is not set',
];
//# sourceMappingURL=kernel-config.js.map