"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Boots the testbed VM and captures real Debian 12 outputs into
 * test/fixtures/debian12/ (see README.md there). Also exercises a one-shot
 * trial boot of the newer kernel via grub-reboot and measures timings.
 *
 * Run (as root, from the repository root):
 *   npx tsc -p testbed/tsconfig.testbed.json && node dist/testbed-only/testbed/capture-fixtures.js [fixturesDir] [artifactsDir]
 * (any way of compiling this file with the repo's compiler options works).
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const vm_1 = require("./vm");
const repoRoot = (() => {
    let dir = __dirname;
    for (let i = 0; i < 8; i++) {
        if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test')))
            return dir;
        dir = path.dirname(dir);
    }
    return process.cwd();
})();
const fixturesDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'test/fixtures/debian12'));
const artifactsDir = path.resolve(process.argv[3] ?? path.join(repoRoot, 'test-artifacts/testbed'));
const notes = [];
function note(line) {
    notes.push(line);
    console.log(`[capture] ${line}`);
}
async function must(vm, cmd, timeoutMs) {
    const r = await vm.sshCmd(cmd, timeoutMs === undefined ? {} : { timeoutMs });
    if (r.code !== 0)
        throw new Error(`command failed (${String(r.code)}): ${cmd}\n${r.stderr}`);
    return r.stdout;
}
let provenance = '';
const captured = [];
async function capture(vm, file, cmd, opts = {}) {
    const out = await must(vm, cmd);
    const kernel = (await must(vm, 'uname -r')).trim();
    const dest = path.join(fixturesDir, file);
    if (opts.json) {
        JSON.parse(out); // must be valid JSON as captured
        fs.writeFileSync(dest, out);
    }
    else {
        const header = `# captured from the kernel-rollout testbed VM (${provenance}, running kernel ${kernel}), ` +
            `command: ${cmd}, date: ${new Date().toISOString()}\n`;
        fs.writeFileSync(dest, header + out);
    }
    captured.push({ file, cmd, kernel });
    return out;
}
async function reboot(vm, expectBoots) {
    const t0 = Date.now();
    // The connection may be cut by the reboot itself; the exit code is irrelevant.
    await vm.sshCmd('systemctl reboot', { timeoutMs: 30_000 });
    await vm.waitForBoots(expectBoots, 300_000);
    await vm.waitForSsh(300_000);
    return (Date.now() - t0) / 1000;
}
async function main() {
    fs.mkdirSync(fixturesDir, { recursive: true });
    fs.mkdirSync(artifactsDir, { recursive: true });
    const image = await (0, vm_1.ensureImage)({ log: (l) => console.error(l) });
    note(`image ${image.dir}; kernels old=${image.kernels.old} new=${image.kernels.new}`);
    const t0 = Date.now();
    const vm = await (0, vm_1.bootVm)({
        image,
        name: 'capture',
        artifactsDir,
        log: (l) => console.log(l),
    });
    note(`boot to SSH (qemu start -> ssh true ok, through GRUB, TCG): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    try {
        const grubVer = (await must(vm, "dpkg-query -W -f='${Version}' grub-pc")).trim();
        const osVer = (await must(vm, 'cat /etc/debian_version')).trim();
        provenance = `Debian ${osVer}, grub-pc ${grubVer}`;
        note(`provenance: ${provenance}`);
        await capturePristine(vm);
        const { oldEntry, newEntry } = await grubEntries(vm, image);
        await must(vm, `grub-set-default '${oldEntry}'`);
        await capture(vm, 'grubenv', 'cat /boot/grub/grubenv');
        note(`grub-set-default '${oldEntry}'`);
        await installNewKernel(vm, image);
        await trialBoot(vm, image, newEntry);
        await plainReboot(vm);
        await savedDefault(vm, oldEntry, newEntry);
        note(`boots seen on serial console: ${vm.bootsSeen()}`);
    }
    finally {
        await vm.stop();
    }
    fs.writeFileSync(path.join(artifactsDir, 'capture-notes.txt'), notes.join('\n') + '\n');
    fs.writeFileSync(path.join(artifactsDir, 'capture-files.json'), JSON.stringify(captured, null, 2) + '\n');
}
/** Boot 1: the old kernel on the pristine image. */
async function capturePristine(vm) {
    await capture(vm, 'grub.cfg', 'cat /boot/grub/grub.cfg');
    await capture(vm, 'grubenv-initial', 'cat /boot/grub/grubenv');
    await capture(vm, 'default-grub', 'cat /etc/default/grub');
    await capture(vm, 'os-release', 'cat /etc/os-release');
    await capture(vm, 'findmnt-boot.txt', 'findmnt -n -o SOURCE,FSTYPE,TARGET -T /boot');
    await capture(vm, 'findmnt-boot.json', 'findmnt -J -T /boot -o SOURCE,FSTYPE,TARGET', { json: true });
    await capture(vm, 'lsblk.json', 'lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINT', {
        json: true,
    });
    await capture(vm, 'df-boot.txt', 'df -B1 --output=avail /boot');
    await capture(vm, 'dpkg-kernels.txt', "dpkg-query -W -f='${Package} ${Version} ${Status}\\n' 'linux-image-*'");
    await capture(vm, 'proc-cmdline.txt', 'cat /proc/cmdline');
    await capture(vm, 'uname-r.txt', 'uname -r');
    await capture(vm, 'boot_id.txt', 'cat /proc/sys/kernel/random/boot_id');
    await capture(vm, 'initramfs.conf', 'cat /etc/initramfs-tools/initramfs.conf');
    await capture(vm, 'kexec-tools-default', 'cat /etc/default/kexec');
}
/** The GRUB menu entry ids of the image's two kernels (Debian's "Advanced options" submenu). */
async function grubEntries(vm, image) {
    const rootUuid = (await must(vm, 'findmnt -n -o UUID /')).trim();
    const advSub = `gnulinux-advanced-${rootUuid}`;
    const entry = (k) => `${advSub}>gnulinux-${k}-advanced-${rootUuid}`;
    const oldEntry = entry(image.kernels.old);
    const newEntry = entry(image.kernels.new);
    return { oldEntry, newEntry };
}
/** Installs the newer kernel as an operator would: upload, sha256, dpkg -i, update-grub. */
async function installNewKernel(vm, image) {
    const deb = fs.readFileSync(image.kernels.newDeb);
    const remoteDeb = `/root/${path.basename(image.kernels.newDeb)}`;
    const tUp = Date.now();
    await vm.sshCmd(`cat > '${remoteDeb}'`, { input: deb, timeoutMs: 300_000 });
    note(`upload of ${path.basename(image.kernels.newDeb)} (${deb.length} bytes) over ssh: ${((Date.now() - tUp) / 1000).toFixed(1)} s`);
    const sum = (await must(vm, `sha256sum '${remoteDeb}'`)).split(/\s+/)[0];
    if (sum !== image.kernels.newDebSha256)
        throw new Error(`sha256 mismatch after upload: ${String(sum)}`);
    const tDpkg = Date.now();
    const dpkgOut = await must(vm, `DEBIAN_FRONTEND=noninteractive dpkg -i '${remoteDeb}' 2>&1`, 1_200_000);
    const dpkgSecs = (Date.now() - tDpkg) / 1000;
    fs.writeFileSync(path.join(artifactsDir, 'dpkg-i-new-kernel.log'), dpkgOut);
    note(`dpkg -i ${path.basename(image.kernels.newDeb)} (incl. initramfs MODULES=dep COMPRESS=zstd and zz-update-grub hook): ${dpkgSecs.toFixed(1)} s`);
    const tUg = Date.now();
    await must(vm, 'update-grub 2>&1', 600_000);
    note(`update-grub (2 kernels): ${((Date.now() - tUg) / 1000).toFixed(1)} s`);
    await capture(vm, 'grub.cfg-two-kernels', 'cat /boot/grub/grub.cfg');
    await capture(vm, 'dpkg-kernels-two-kernels.txt', "dpkg-query -W -f='${Package} ${Version} ${Status}\\n' 'linux-image-*'");
    await capture(vm, 'ls-boot-two-kernels.txt', 'ls -l /boot');
    await capture(vm, 'df-boot-two-kernels.txt', 'df -B1 --output=avail /boot');
}
/** A one-shot trial boot of the new kernel (grub-reboot). */
async function trialBoot(vm, image, newEntry) {
    await must(vm, `grub-reboot '${newEntry}'`);
    await capture(vm, 'grubenv-next-entry', 'cat /boot/grub/grubenv');
    note(`grub-reboot '${newEntry}'`);
    const r1 = await reboot(vm, 2);
    note(`reboot -> SSH (systemctl reboot until ssh true ok): ${r1.toFixed(1)} s`);
    const k2 = (await must(vm, 'uname -r')).trim();
    note(`trial boot running kernel: ${k2} (expected ${image.kernels.new})`);
    const env2 = await capture(vm, 'grubenv-after-trial-boot', 'cat /boot/grub/grubenv');
    const ne = /^next_entry=(.*)$/m.exec(env2);
    note(`grubenv after trial boot: next_entry=${ne ? JSON.stringify(ne[1]) : '<absent>'}; saved_entry=${JSON.stringify(/^saved_entry=(.*)$/m.exec(env2)?.[1] ?? null)}`);
    await capture(vm, 'proc-cmdline-trial-boot.txt', 'cat /proc/cmdline');
    await capture(vm, 'uname-r-trial-boot.txt', 'uname -r');
}
/** A plain reboot with Debian's GRUB_DEFAULT=0. */
async function plainReboot(vm) {
    const r2 = await reboot(vm, 3);
    const k3 = (await must(vm, 'uname -r')).trim();
    note(`plain reboot after the trial (GRUB_DEFAULT=0 unchanged, saved_entry=old is ignored): running ${k3}; reboot -> SSH ${r2.toFixed(1)} s`);
}
/** What the product is expected to do: GRUB_DEFAULT=saved, the old default, the new kernel once. */
async function savedDefault(vm, oldEntry, newEntry) {
    await must(vm, "sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub 2>&1", 600_000);
    await capture(vm, 'default-grub-saved', 'cat /etc/default/grub');
    await capture(vm, 'grub.cfg-default-saved', 'cat /boot/grub/grub.cfg');
    await must(vm, `grub-set-default '${oldEntry}' && grub-reboot '${newEntry}'`);
    await capture(vm, 'grubenv-saved-next-entry', 'cat /boot/grub/grubenv');
    const r3 = await reboot(vm, 4);
    const k4 = (await must(vm, 'uname -r')).trim();
    const env4 = await must(vm, 'cat /boot/grub/grubenv');
    note(`GRUB_DEFAULT=saved + grub-set-default old + grub-reboot new: trial boot ran ${k4} (reboot -> SSH ${r3.toFixed(1)} s); next_entry now ${JSON.stringify(/^next_entry=(.*)$/m.exec(env4)?.[1] ?? null)}`);
    const r4 = await reboot(vm, 5);
    const k5 = (await must(vm, 'uname -r')).trim();
    note(`following plain reboot (saved default): running ${k5} (reboot -> SSH ${r4.toFixed(1)} s)`);
}
main().catch((err) => {
    console.error(err);
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(path.join(artifactsDir, 'capture-notes.txt'), notes.join('\n') + '\n');
    process.exitCode = 1;
});
//# sourceMappingURL=capture-fixtures.js.map