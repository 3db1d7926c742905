"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BOOT_SPACE_NEEDED_BYTES = exports.PSTORE_WARNING = exports.splitSections = exports.sectionCommand = void 0;
exports.factsScript = factsScript;
exports.parsePstoreBackend = parsePstoreBackend;
exports.parseOsRelease = parseOsRelease;
exports.parseFacts = parseFacts;
exports.assessFacts = assessFacts;
const bootloader_1 = require("../bootloader/bootloader");
const grub_debian_1 = require("../bootloader/grub-debian");
const sections_1 = require("../sections");
var sections_2 = require("../sections");
Object.defineProperty(exports, "sectionCommand", { enumerable: true, get: function () { return sections_2.sectionCommand; } });
Object.defineProperty(exports, "splitSections", { enumerable: true, get: function () { return sections_2.splitSections; } });
/** Runs as root. Every section is printed even when its command fails (empty then). */
function factsScript(packageManager) {
    const sections = [
        ['os-release', 'cat /etc/os-release'],
        ['uname-r', 'uname -r'],
        ['boot-id', 'cat /proc/sys/kernel/random/boot_id'],
        ['cmdline', 'cat /proc/cmdline'],
        packageManager.installedKernelsSection,
        ['vmlinuz', 'ls -1 /boot'],
        ['boot-free', 'df -B1 --output=avail /boot | tail -n 1'],
        ...(0, bootloader_1.bootloaderFactSections)(),
        packageManager.lockSection,
        ['kexec', 'command -v kexec'],
        ['systemd', '[ -d /run/systemd/system ] && echo yes'],
        ['dpkg-arch', 'dpkg --print-architecture'],
        sections_1.UEFI_SECTION,
        PSTORE_SECTION,
    ];
    // A bootloader driver may read a core section too (GRUB reads `uefi`): each runs once.
    const seen = new Set();
    return (0, sections_1.sectionsScript)(sections.filter(([name]) => !seen.has(name) && !!seen.add(name)));
}
/**
 * The pstore backend the kernel registered (pstore sets its `backend` parameter to the one that
 * registered; `(null)` or nothing when none did), and whether efi_pstore is there and disabled.
 */
const PSTORE_SECTION = [
    'pstore',
    'echo "backend=$(cat /sys/module/pstore/parameters/backend 2>/dev/null)"; ' +
        '[ -d /sys/module/efi_pstore ] && echo "efi_pstore_disable=$(cat /sys/module/efi_pstore/parameters/pstore_disable 2>/dev/null)"',
];
/** The registered pstore backend from the `pstore` section, or null when none is. */
function parsePstoreBackend(text) {
    const backend = /^backend=(.*)$/m.exec(text)?.[1]?.trim() ?? '';
    return backend === '' || backend === '(null)' ? null : backend;
}
/** What to do so that a panic on this UEFI host leaves a record (none registered: efi_pstore is not loaded). */
exports.PSTORE_WARNING = "the host boots through UEFI but no pstore backend is registered (efi_pstore is not loaded), so a trial's panic will leave no record: add efi_pstore to /etc/initramfs-tools/modules and run update-initramfs -u (a UEFI variable then keeps the panic's last lines)";
function parseOsRelease(text) {
    // Same shell-assignment syntax as /etc/default/grub.
    return (0, grub_debian_1.parseDefaultGrub)(text);
}
/** Space the install needs in /boot: image + initramfs, with room to spare. */
exports.BOOT_SPACE_NEEDED_BYTES = 120 * 1024 * 1024;
function parseFacts(host, sections, packageManager) {
    const os = parseOsRelease(sections['os-release'] ?? '');
    const found = (0, bootloader_1.detectBootloader)(sections);
    return {
        host,
        distroId: os['ID'] ?? 'unknown',
        distroVersion: os['VERSION_ID'] ?? '',
        distroLike: (os['ID_LIKE'] ?? '').split(/\s+/).filter(Boolean),
        runningKernel: (sections['uname-r'] ?? '').trim(),
        bootId: (sections['boot-id'] ?? '').trim(),
        kernelCmdline: (sections['cmdline'] ?? '').trim(),
        installedKernels: packageManager.parseInstalledKernels(sections[packageManager.installedKernelsSection[0]] ?? ''),
        bootFreeBytes: Number((sections['boot-free'] ?? '').trim()) || 0,
        dpkgLocked: packageManager.parseLocked(sections[packageManager.lockSection[0]] ?? ''),
        packageManager: packageManager.kind,
        kexecAvailable: (sections['kexec'] ?? '').trim().length > 0,
        systemd: (sections['systemd'] ?? '').trim() === 'yes',
        uefi: (sections['uefi'] ?? '').trim() === 'yes',
        pstoreBackend: parsePstoreBackend(sections['pstore'] ?? ''),
        ...((sections['dpkg-arch'] ?? '').trim() ? { architecture: (sections['dpkg-arch'] ?? '').trim() } : {}),
        bootloader: found ? bootloaderFacts(found.driver, found.facts) : { kind: null, summary: [], details: {} },
    };
}
/** The bootloader a driver found, as HostFacts carries it: its kind, summary, own facts and label. */
function bootloaderFacts(driver, details) {
    const variant = driver.variant?.(details) ?? null;
    return {
        kind: driver.kind,
        summary: driver.summary(details),
        details,
        label: variant ? `${driver.kind} (${variant})` : driver.kind,
    };
}
/** What would happen, what is refused and what pinning fixes. Messages say what to do. */
function assessFacts(base, req, packageManager) {
    const refusals = [];
    const h = base.host;
    // Which distributions are supported is the package manager's to say: it knows their packages.
    const distro = packageManager.distroRefusal({ id: base.distroId, idLike: base.distroLike ?? [] });
    if (distro)
        refusals.push(`${h}: ${distro}`);
    if (!base.systemd)
        refusals.push(`${h}: systemd is not running; the revert timer needs it`);
    if (!/^[0-9a-f-]{36}$/.test(base.bootId))
        refusals.push(`${h}: could not read /proc/sys/kernel/random/boot_id`);
    const bootloader = base.bootloader.kind
        ? (0, bootloader_1.bootloaderFor)(base.bootloader.kind).assess(base.bootloader.details, {
            host: h,
            runningKernel: base.runningKernel,
            toRelease: req.toRelease,
        })
        : null;
    if (!bootloader)
        refusals.push(`${h}: ${(0, bootloader_1.noBootloaderRefusal)()}`);
    refusals.push(...(bootloader?.refusals ?? []).map((r) => `${h}: ${r}`));
    const oneShot = bootloader?.capabilities.clearsOneShotAtBoot;
    // A kexec trial leaves the bootloader's one-shot alone: the bootloader only boots the default.
    if (oneShot && !oneShot.ok && !req.useKexec)
        refusals.push(`${h}: ${oneShot.reason}`);
    if (req.useKexec && !base.kexecAvailable) {
        refusals.push(`${h}: kexec is not installed; apt-get install kexec-tools, or drop --kexec`);
    }
    const pkgArch = req.packageArchitecture;
    if (pkgArch && pkgArch !== 'all' && base.architecture && pkgArch !== base.architecture) {
        refusals.push(`${h}: the package is built for ${pkgArch} and the host is ${base.architecture} (dpkg --print-architecture): ` +
            `it would not boot; build it for ${base.architecture} (for amd64, a config with CONFIG_64BIT=y)`);
    }
    const alreadyInstalled = base.installedKernels.includes(req.toRelease);
    if (!alreadyInstalled && base.bootFreeBytes < exports.BOOT_SPACE_NEEDED_BYTES) {
        refusals.push(`${h}: /boot has ${Math.floor(base.bootFreeBytes / 1048576)} MiB free, the kernel needs ~${exports.BOOT_SPACE_NEEDED_BYTES / 1048576} MiB; ${packageManager.freeBootSpaceHint}`);
    }
    const fixes = [...(bootloader?.fixes ?? [])];
    const warnings = [...(bootloader?.warnings ?? [])];
    if (base.dpkgLocked)
        warnings.push('the dpkg lock is held by another process; install waits for it');
    if (base.uefi === true && base.pstoreBackend === null)
        warnings.push(exports.PSTORE_WARNING);
    // A host already on the target is no warning: the run's timeline says it once ("already runs"),
    // plan and rollout plan show it as verify-only.
    return { ...base, refusals, fixes, warnings };
}
//# sourceMappingURL=host-facts.js.map