"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dpkg = void 0;
exports.parseInstalledKernels = parseInstalledKernels;
exports.kernelImagePaths = kernelImagePaths;
exports.createDpkg = createDpkg;
/**
 * dpkg (with apt for removal), Debian's and Ubuntu's package manager: the seam under the apt and
 * the .deb installers. Kernel `R` is package `linux-image-R` with /boot/vmlinuz-R and
 * /boot/initrd.img-R; what was installed is recorded in /var/lib/kernel-rollout.
 */
const shell_1 = require("../../shared/shell");
const host_1 = require("../host");
/** Kernel releases with a `linux-image-<release>` package in state "install ok installed". */
function parseInstalledKernels(dpkgOutput) {
    const releases = [];
    for (const line of dpkgOutput.split('\n')) {
        const m = /^linux-image-(\d\S*)\s+install ok installed$/.exec(line.trim());
        // Host-controlled text: only what looks like a kernel release is kept (and later printed).
        if (m?.[1] && !m[1].endsWith('-dbg') && shell_1.KERNEL_RELEASE_RE.test(m[1]))
            releases.push(m[1]);
    }
    return releases;
}
/** Where Debian's kernel packages put release `release`'s image and initramfs. */
function kernelImagePaths(release, bootDir = '/boot') {
    return { kernel: `${bootDir}/vmlinuz-${release}`, initrd: `${bootDir}/initrd.img-${release}` };
}
const kernelFilesTest = (release, bootDir) => {
    const { kernel, initrd } = kernelImagePaths(release, bootDir);
    return `test -e ${kernel} && test -e ${initrd}`;
};
/** The distributions whose kernels are packaged as this driver expects (by os-release ID). */
const DISTROS = ['debian', 'ubuntu'];
/** dpkg with its state directory; `stateDir` and `bootDir` differ only in tests. */
function createDpkg(opts = {}) {
    const stateDir = opts.stateDir ?? host_1.STATE_DIR;
    const bootDir = opts.bootDir ?? '/boot';
    const marker = (release) => `${stateDir}/installed-${release}.sha256`;
    return {
        kind: 'dpkg',
        installedKernelsSection: ['kernels', "dpkg-query -W -f='${Package} ${Status}\\n' 'linux-image-*'"],
        lockSection: ['dpkg-lock', 'lslocks -n -o PATH 2>/dev/null | grep -c "^/var/lib/dpkg/lock"'],
        parseInstalledKernels,
        parseLocked: (text) => Number(text.trim() || '0') > 0,
        freeBootSpaceHint: 'remove old kernels (apt-get autoremove --purge)',
        kernelPackage: (release) => `linux-image-${release}`,
        kernelImagePaths,
        distroRefusal: ({ id }) => DISTROS.includes(id) ? null : `${id || 'unknown'} is not supported (Debian and Ubuntu with GRUB 2 are)`,
        async probe(s, release) {
            const probe = await s.exec(`dpkg-query -W -f='\${Status}' ${(0, shell_1.shellQuote)(`linux-image-${release}`)} 2>/dev/null; echo; ` +
                `${kernelFilesTest(release, bootDir)} && echo files-ok; cat ${marker(release)} 2>/dev/null`, host_1.sudo);
            const [status = '', ...rest] = probe.stdout.split('\n');
            return {
                installed: status.trim() === 'install ok installed' && rest.includes('files-ok'),
                recorded: rest.find((l) => /^[0-9a-f]{64}$/.test(l.trim()))?.trim() ?? null,
            };
        },
        installFile: (s, remotePath) => s.exec(`export DEBIAN_FRONTEND=noninteractive; dpkg --configure -a; dpkg -i ${(0, shell_1.shellQuote)(remotePath)}`, {
            ...host_1.sudo,
            timeoutMs: 80 * 60_000,
        }),
        async recordInstalled(s, release, recorded) {
            const r = await s.exec(`if ${kernelFilesTest(release, bootDir)}; then mkdir -p ${stateDir} && ` +
                `echo ${(0, shell_1.shellQuote)(recorded)} > ${marker(release)} && echo recorded; else echo missing; fi`, host_1.sudo);
            if (r.stdout.trim() === 'missing')
                return `${kernelImagePaths(release, bootDir).kernel} or its initrd`;
            if (r.code !== 0 || r.stdout.trim() !== 'recorded') {
                throw new Error(`could not record the install of ${release} in ${stateDir}: ${r.stderr.trim().slice(-300)}`);
            }
            return null;
        },
        async remove(s, release) {
            const pkg = `linux-image-${release}`;
            const rm = await s.exec(`DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 remove -y ${(0, shell_1.shellQuote)(pkg)}`, { ...host_1.sudo, timeoutMs: 20 * 60_000 });
            return rm.code === 0 ? `removed ${pkg}` : `could not remove ${pkg}: ${rm.stderr.slice(-300)}`;
        },
    };
}
exports.dpkg = createDpkg();
//# sourceMappingURL=dpkg.js.map