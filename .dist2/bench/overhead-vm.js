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
exports.vmOverheadBench = vmOverheadBench;
/**
 * Per-host overhead on the real testbed VM (`node dist/bench/overhead.js --vm 1`): one upgrade of a
 * Debian 12 VM under qemu (TCG, booted by GRUB; testbed/) from the newer kernel's .deb,
 * through kernel-rollout's own worker, with stabilitySeconds 0 and the default health check. Its
 * wall time (start request → result) minus the host's own work is kernel-rollout's overhead, as on
 * the simulator. The host's own work, measured on the guest and on the wire:
 *
 *  - install: the `dpkg -i` run itself (unpack, initramfs, the zz-update-grub hook). A wrapper
 *    /usr/local/sbin/dpkg (first in root's PATH over SSH) writes each run's start and end (guest
 *    clock, a duration: no clock conversion) and then is dpkg.
 *  - reboot: from `systemctl reboot` (a wrapper /usr/local/sbin/systemctl writes the moment, guest
 *    clock, converted with the guest−host clock offset measured just before the upgrade) until the
 *    host is back: sshd listens again (its `Server listening` line in the new boot's journal) and
 *    systemd has finished booting (`FinishTimestampMonotonic`), whichever is later, both converted
 *    with the offset measured in the new boot. The health check waits for the second
 *    (`systemctl is-system-running --wait`). Nothing probes SSH from outside: sshd under TCG
 *    re-executes itself for every connection, and a probe every 250 ms kept it from answering
 *    anyone (MaxStartups), kernel-rollout included.
 *
 * Everything else is overhead: workflow start, preflight, pin (GRUB_DEFAULT=saved and the saved
 * default), the .deb upload over SFTP and its checksum, staging (the revert timer, the trial entry
 * in custom.cfg and the one-shot), the reboot command's head start, noticing the host is back,
 * verify, confirm and commit, the result. A third wrapper, /usr/local/sbin/update-grub, times any
 * update-grub kernel-rollout asks for outside dpkg -i (20-40 s each under TCG; at most one, and
 * none on the testbed, whose grub.cfg boots the known-good kernel until the package's hook
 * regenerates it): the figure's note says how much of the overhead they are.
 *
 * Needs the cached testbed image (or root to build it) and the cores: ~8 minutes on quiet cores
 * (boot ~45 s, the upgrade ~7 min), much longer while other jobs load them.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const path = __importStar(require("node:path"));
const client_1 = require("../src/client");
const temporal_server_1 = require("../src/dev/temporal-server");
const vm_1 = require("../testbed/vm");
const lib_1 = require("./lib");
const BENCH = 'per-host overhead';
/** Installed on the VM before the upgrade: they time dpkg and the reboot request, then get out of the way. */
const PROBES = {
    '/usr/local/sbin/dpkg': [
        '#!/bin/sh',
        '# kernel-rollout bench: times each dpkg run (guest clock), then is dpkg.',
        's=$(date +%s.%N); /usr/bin/dpkg "$@"; rc=$?',
        'echo "$s $(date +%s.%N) $rc $*" >> /var/lib/kr-bench/dpkg.times',
        'exit $rc',
    ],
    '/usr/local/sbin/update-grub': [
        '#!/bin/sh',
        '# kernel-rollout bench: times each update-grub run (guest clock), then is update-grub.',
        's=$(date +%s.%N); /usr/sbin/update-grub "$@"; rc=$?',
        'echo "$s $(date +%s.%N) $rc" >> /var/lib/kr-bench/update-grub.times',
        'exit $rc',
    ],
    '/usr/local/sbin/systemctl': [
        '#!/bin/sh',
        '# kernel-rollout bench: notes when a reboot is requested (guest clock), then is systemctl.',
        'case "$1" in reboot|kexec) echo "$(date +%s.%N) $*" >> /var/lib/kr-bench/systemctl.times; sync ;; esac',
        'exec /usr/bin/systemctl "$@"',
    ],
};
async function must(vm, command) {
    const r = await vm.sshCmd(command, { timeoutMs: 120_000 });
    if (r.code !== 0)
        throw new Error(`VM: \`${command}\` exited ${String(r.code)}: ${r.stderr.trim()}`);
    return r.stdout;
}
/**
 * Guest clock − host clock, in seconds: the guest prints its time 20 times over one SSH session and
 * the host notes when each line arrives. arrival = guest moment + latency, so the largest
 * (guest − arrival) is the offset less the smallest latency (milliseconds over loopback).
 */
function clockOffset(vm) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('ssh', [...vm.sshArgs(), '--', 'for i in $(seq 20); do date +%s.%N; sleep 0.05; done'], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let best = -Infinity;
        let partial = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d) => {
            const arrival = Date.now() / 1000;
            const lines = (partial + d).split('\n');
            partial = lines.pop() ?? '';
            for (const l of lines)
                if (/^\d+\.\d+$/.test(l.trim()))
                    best = Math.max(best, Number(l) - arrival);
        });
        child.on('error', reject);
        child.on('close', (code) => Number.isFinite(best) ? resolve(best) : reject(new Error(`clock offset: ssh exited ${String(code)}`)));
    });
}
const PART_NAMES = [
    'start→preflight',
    'preflight',
    'pin+upload+install+stage−dpkg',
    'reboot cmd→systemctl reboot',
    'host back→done (detect, verify, commit)',
    'done→result',
];
async function vmOverheadBench(temporal, pollCapSeconds) {
    (0, lib_1.say)(`\n## ${BENCH}: the real testbed VM (qemu TCG), one upgrade from the .deb, stabilitySeconds 0`);
    const image = await (0, vm_1.ensureImage)({ log: (l) => (0, lib_1.say)(`  ${l}`) });
    const artifacts = path.join((0, temporal_server_1.projectRoot)(), 'test-artifacts', 'bench');
    const name = `bench-vm-${(0, node_crypto_1.randomBytes)(3).toString('hex')}`;
    const tBoot = Date.now();
    const vm = await (0, vm_1.bootVm)({ image, name, artifactsDir: artifacts, log: (l) => (0, lib_1.say)(`  ${l}`) });
    (0, lib_1.say)(`VM ${name} up in ${((Date.now() - tBoot) / 1000).toFixed(0)} s (qemu start → SSH)`);
    const worker = await lib_1.WorkerProcess.start(temporal.address);
    const client = await client_1.HostUpgradeClient.connect({
        address: temporal.address,
        namespace: 'default',
        taskQueue: worker.taskQueue,
    });
    try {
        await installProbes(vm);
        const offsetBefore = await clockOffset(vm);
        const bootIdBefore = (await must(vm, 'cat /proc/sys/kernel/random/boot_id')).trim();
        const bootsBefore = vm.bootsSeen();
        const t0 = Date.now();
        const r = await upgradeOnce(client, vm, name, image, pollCapSeconds);
        const t1 = Date.now();
        if (r.outcome !== 'upgraded')
            throw new Error(`${name}: ${r.outcome}: ${r.reason}`);
        const offsetAfter = await clockOffset(vm);
        const after = await hostAfter(vm, name, image, bootIdBefore, bootsBefore);
        const work = hostWork(after, name, offsetBefore, offsetAfter);
        return [reportOverhead(name, r, t0, t1, work, offsetBefore, offsetAfter)];
    }
    finally {
        await client.close();
        await worker.stop();
        await vm.stop();
    }
}
/** The timing wrappers (PROBES), installed and checked to come first in root's PATH over SSH. */
async function installProbes(vm) {
    await must(vm, 'mkdir -p /var/lib/kr-bench');
    for (const [file, lines] of Object.entries(PROBES)) {
        await vm.sshCmd(`cat > ${file} && chmod 755 ${file}`, { input: `${lines.join('\n')}\n` });
    }
    const wrapped = Object.keys(PROBES);
    const paths = (await must(vm, `command -v ${wrapped.map((f) => path.basename(f)).join(' ')}; echo "$PATH"`))
        .trim()
        .split('\n');
    if (paths.slice(0, wrapped.length).join(' ') !== wrapped.join(' ')) {
        throw new Error(`the timing wrappers are not first in root's PATH over SSH: ${paths.join(' ')}`);
    }
}
/** One upgrade of the VM to the image's newer kernel from its .deb, through the worker: its result. */
async function upgradeOnce(client, vm, name, image, pollCapSeconds) {
    const handle = await client.startUpgrade({
        ...(0, vm_1.upgradeToNewKernel)(vm, name, image),
        stabilitySeconds: 0,
        // A loaded 2-core machine has taken 10+ minutes for one TCG boot: the default 600 s revert
        // timer then reverted a healthy trial. The timer is still armed and disarmed as usual.
        revertAfterSeconds: 1800,
        timeouts: { pollCapSeconds, bootDeadlineSeconds: 1800 },
    });
    return handle.result();
}
/** The host, afterwards: the new kernel from the saved default, one boot, and the probes' notes. */
async function hostAfter(vm, name, image, bootIdBefore, bootsBefore) {
    const after = await must(vm, 'uname -r; cat /proc/sys/kernel/random/boot_id; grub-editenv /boot/grub/grubenv list | grep ^saved_entry=; ' +
        'cat /proc/uptime; date +%s.%N; systemctl show -p FinishTimestampMonotonic --value; ' +
        "journalctl -b -u ssh.service -o short-unix --no-pager | grep -m1 'Server listening' | cut -d' ' -f1; " +
        'echo @@dpkg; cat /var/lib/kr-bench/dpkg.times; echo @@systemctl; cat /var/lib/kr-bench/systemctl.times; ' +
        'echo @@update-grub; cat /var/lib/kr-bench/update-grub.times');
    const [kernel = '', bootId = '', savedEntry = '', uptime = '', guestNow = '', finishMono = '', sshdAt = ''] = after.split('\n');
    const boots = vm.bootsSeen() - bootsBefore;
    if (kernel !== image.kernels.new || bootId === bootIdBefore || !savedEntry.includes(image.kernels.new) || boots !== 1)
        throw new Error(`${name}: not upgraded as expected: ${kernel}, ${savedEntry}, ${boots} boot(s)`);
    const section = (s) => after.split(`@@${s}\n`)[1]?.split('@@')[0]?.trim().split('\n') ?? [];
    return { uptime, guestNow, finishMono, sshdAt, section };
}
function hostWork(after, name, offsetBefore, offsetAfter) {
    const { section, sshdAt, guestNow, uptime, finishMono } = after;
    const dpkgRun = section('dpkg')
        .map((l) => l.split(' '))
        .find((f) => f.slice(3).includes('-i'));
    const rebootLine = section('systemctl').find((l) => / reboot$/.test(l));
    if (!dpkgRun || !rebootLine || !sshdAt)
        throw new Error(`${name}: no dpkg -i or systemctl reboot in the wrappers' notes, or no sshd start in the journal`);
    const hostInstall = Number(dpkgRun[1]) - Number(dpkgRun[0]);
    // update-grub runs kernel-rollout asks for (at most one: the pin or the stage when grub.cfg
    // does not read the saved default yet), not the one inside dpkg -i.
    const grubRuns = section('update-grub')
        .map((l) => l.split(' ').map(Number))
        .filter(([start = 0]) => start < Number(dpkgRun[0]) || start > Number(dpkgRun[1]))
        .map(([start = 0, end = 0]) => end - start);
    const grubSeconds = grubRuns.reduce((a, b) => a + b, 0);
    const requestAt = (Number(rebootLine.split(' ')[0]) - offsetBefore) * 1000;
    const sshBackAt = (Number(sshdAt) - offsetAfter) * 1000;
    // The new boot's "startup finished", on the host clock: now − (uptime − FinishTimestampMonotonic).
    const finishedAt = (Number(guestNow) - (Number(uptime.split(' ')[0]) - Number(finishMono) / 1e6) - offsetAfter) * 1000;
    const hostBackAt = Math.max(sshBackAt, finishedAt);
    const hostReboot = (hostBackAt - requestAt) / 1000;
    return { hostInstall, grubRuns, grubSeconds, requestAt, sshBackAt, finishedAt, hostBackAt, hostReboot };
}
/** The overhead (wall time less the host's work) and its parts, said and as the figure. */
function reportOverhead(name, r, t0, t1, work, offsetBefore, offsetAfter) {
    const { hostInstall, grubRuns, grubSeconds, requestAt, sshBackAt, finishedAt, hostBackAt, hostReboot } = work;
    const wall = (t1 - t0) / 1000;
    const overhead = wall - hostInstall - hostReboot;
    const s = (a, b) => (b - a) / 1000;
    const parts = {
        'start→preflight': s(t0, (0, lib_1.phaseAt)(r, 'preflight')),
        preflight: s((0, lib_1.phaseAt)(r, 'preflight'), (0, lib_1.phaseAt)(r, 'install')),
        'pin+upload+install+stage−dpkg': s((0, lib_1.phaseAt)(r, 'install'), (0, lib_1.phaseAt)(r, 'reboot')) - hostInstall,
        'reboot cmd→systemctl reboot': s((0, lib_1.phaseAt)(r, 'reboot'), requestAt),
        'host back→done (detect, verify, commit)': s(hostBackAt, (0, lib_1.phaseAt)(r, 'done')),
        'done→result': s((0, lib_1.phaseAt)(r, 'done'), t1),
    };
    const partText = PART_NAMES.map((k) => `${k} ${parts[k].toFixed(2)}`).join(', ');
    (0, lib_1.say)(`${name}: wall ${wall.toFixed(1)} s = dpkg -i ${hostInstall.toFixed(1)} + host reboot ${hostReboot.toFixed(1)} ` +
        `(systemctl reboot → sshd listening ${s(requestAt, sshBackAt).toFixed(1)} s, → boot finished ` +
        `${s(requestAt, finishedAt).toFixed(1)} s) + overhead ${overhead.toFixed(1)} (${partText})`);
    (0, lib_1.say)(`  of the overhead, update-grub ran ${grubRuns.length} times outside dpkg -i for ${grubSeconds.toFixed(1)} s ` +
        `(${grubRuns.map((x) => x.toFixed(1)).join(', ')} s): host work that kernel-rollout's own steps ask for (at most 1)`);
    (0, lib_1.say)(`  detection: sshd listening → workflow's "back" ${s(sshBackAt, (0, lib_1.backAt)(r)).toFixed(2)} s; clock offset guest−host ` +
        `${offsetBefore.toFixed(3)} s before, ${offsetAfter.toFixed(3)} s after the reboot (RTC: whole seconds)`);
    for (const e of r.timeline)
        (0, lib_1.say)(`  ${s(t0, Date.parse(e.at)).toFixed(1).padStart(6)} ${e.phase}: ${e.message.slice(0, 100)}`);
    return {
        bench: BENCH,
        name: 'VM testbed, one upgrade from the .deb (--vm 1)',
        value: (0, lib_1.round)(overhead, 1),
        unit: 's',
        target: { op: '<=', value: 30 },
        note: `wall ${wall.toFixed(1)} s − dpkg -i ${hostInstall.toFixed(1)} s − reboot ${hostReboot.toFixed(1)} s ` +
            `(systemctl reboot → sshd ${s(requestAt, sshBackAt).toFixed(1)} s, → boot finished ${s(requestAt, finishedAt).toFixed(1)} s); ` +
            `${partText}; of the overhead, ${grubRuns.length} update-grub runs ${grubSeconds.toFixed(1)} s`,
    };
}
//# sourceMappingURL=overhead-vm.js.map