"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The systemd-boot driver's operations over real SSH against a simulated Debian 12 host booted
 * by systemd-boot (sim/systemd-boot.ts, sim/tools/krsim-sdboot; a model built from systemd's
 * documentation and source, not yet checked against a VM): detection with stale GRUB files,
 * pin, stage (one-shot + counter + trial arguments), the loader at power-on, commit, rollback.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const systemd_boot_1 = require("./systemd-boot");
const bootloader_1 = require("./bootloader");
const sections_1 = require("../sections");
const ssh_1 = require("../ssh");
const kernel_args_1 = require("../trial/kernel-args");
const simulator_1 = require("../../../sim/simulator");
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
(0, node_test_1.describe)('systemd-boot over SSH on a simulated Debian 12 host', () => {
    let sim;
    let mid = '';
    const entryOf = (release) => `${mid}-${release}.conf`;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                { name: 'sd-01', bootloader: 'systemd-boot' },
                { name: 'sd-ro', bootloader: 'systemd-boot', efivarfs: 'ro', efiPstore: false },
            ],
            bootSeconds: 1,
        });
        mid = (sim.inspect('sd-01').systemdBoot?.entries[0] ?? '').slice(0, 32);
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    async function connect(name) {
        return ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host(name).port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        });
    }
    const sshCommands = () => sim.commands('sd-01').filter((c) => c.source === 'ssh').length;
    async function facts(s) {
        const out = await s.exec((0, sections_1.sectionsScript)([['uname-r', 'uname -r'], ...(0, bootloader_1.bootloaderFactSections)()]), { sudo: true });
        return (0, sections_1.splitSections)(out.stdout);
    }
    /** What a later step reads of the same host: the step sections of every driver. */
    const stepPart = (all) => Object.fromEntries((0, bootloader_1.bootloaderStepSections)().map(([name]) => [name, all[name] ?? '']));
    async function reboot(name) {
        const s = await connect(name);
        await s.run('systemctl reboot', { sudo: true });
        s.close();
        await sim.waitFor(name, ['down'], 5000);
        await sim.waitFor(name, ['up'], 10_000);
    }
    (0, node_test_1.test)('detection: systemd-boot, not GRUB, although /etc/default/grub and a grub.cfg with entries are there', async () => {
        const s = await connect('sd-01');
        try {
            strict_1.default.match(await s.run('cat /boot/grub/grub.cfg'), /menuentry /, 'a stale grub.cfg with entries');
            strict_1.default.match(await s.run('cat /etc/default/grub'), /GRUB_DEFAULT=/);
            const all = await facts(s);
            const found = (0, bootloader_1.detectBootloader)(all);
            strict_1.default.equal(found?.driver.kind, 'systemd-boot');
            strict_1.default.equal((0, bootloader_1.detectBootloader)(stepPart(all))?.driver.kind, 'systemd-boot', 'a later step finds it too');
            const assessed = systemd_boot_1.systemdBoot.assess(found.facts, { host: 'sd-01', runningKernel: OLD, toRelease: NEW });
            strict_1.default.deepEqual(assessed.refusals, []);
            strict_1.default.deepEqual(assessed.capabilities.hasBootCounting, { ok: true });
            strict_1.default.deepEqual(assessed.warnings, []);
        }
        finally {
            s.close();
        }
    });
    (0, node_test_1.test)('read-only efivarfs, no efi_pstore: refused, with the reason, and warned', async () => {
        const s = await connect('sd-ro');
        try {
            const all = await facts(s);
            const found = (0, bootloader_1.detectBootloader)(all);
            strict_1.default.equal(found?.driver.kind, 'systemd-boot');
            strict_1.default.equal((0, bootloader_1.detectBootloader)(stepPart(all))?.driver.kind, 'systemd-boot', 'a later step finds it too');
            const a = systemd_boot_1.systemdBoot.assess(found.facts, { host: 'sd-ro', runningKernel: OLD, toRelease: NEW });
            strict_1.default.match(a.refusals.join('\n'), /efivars is read-only/);
            strict_1.default.equal(a.capabilities.clearsOneShotAtBoot.ok, false);
            strict_1.default.match(a.warnings.join('\n'), /efi_pstore is not loaded/);
            await strict_1.default.rejects(systemd_boot_1.systemdBoot.prepareTrial(s, { host: 'sd-ro', knownGoodRelease: OLD, toRelease: NEW }), (err) => err.name === 'UnsafeHostError' && /read-only/.test(err.message));
        }
        finally {
            s.close();
        }
    });
    (0, node_test_1.test)('pin, stage, the trial boots once with its arguments, then the default (EFI variable, else loader.conf)', async () => {
        const s = await connect('sd-01');
        try {
            await s.run(`apt-get install -y linux-image-${NEW}`, { sudo: true, timeoutMs: 60_000 });
            const pinned = await systemd_boot_1.systemdBoot.pinDefault(s, OLD, 'sd-01');
            strict_1.default.equal(pinned.entry, entryOf(OLD));
            strict_1.default.equal(sim.inspect('sd-01').systemdBoot?.defaultEntry, entryOf(OLD));
            strict_1.default.equal(sim.inspect('sd-01').systemdBoot?.loaderConfDefault, entryOf(OLD));
            const again = await systemd_boot_1.systemdBoot.pinDefault(s, OLD, 'sd-01');
            strict_1.default.equal(again.fixedConfiguration, false, 'nothing to change the second time');
            const trial = await systemd_boot_1.systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
            const staged = await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok', []), ['echo along > /tmp/stage-step']);
            strict_1.default.equal(staged.entry, systemd_boot_1.TRIAL_ENTRY_FILE);
            strict_1.default.deepEqual(staged.state, await systemd_boot_1.systemdBoot.readState(s), 'read back in the same round trip');
            strict_1.default.equal(staged.state.defaultEntry, entryOf(OLD));
            strict_1.default.equal(staged.state.oneShotEntry, systemd_boot_1.TRIAL_ENTRY_FILE);
            strict_1.default.equal((await s.run('cat /tmp/stage-step')).trim(), 'along');
            const text = await s.run(`cat /boot/efi/loader/entries/${systemd_boot_1.TRIAL_ENTRY_FILE}`);
            strict_1.default.match(text, new RegExp(`^options .* panic=10 oops=panic kernel_rollout\\.trial=tok$`, 'm'));
            strict_1.default.match(text, new RegExp(`^linux +/${mid}/${NEW}/linux$`, 'm'));
            const ownBad = entryOf(NEW).replace(/\.conf$/, '+0.conf');
            strict_1.default.doesNotMatch(await s.run(`cat /boot/efi/loader/entries/${ownBad}`), /panic=/, 'the kernel’s own entry keeps its options, renamed with no tries left until the commit');
            strict_1.default.ok(!sim.inspect('sd-01').systemdBoot?.entries.includes(entryOf(NEW)));
        }
        finally {
            s.close();
        }
        await reboot('sd-01');
        let st = sim.inspect('sd-01');
        strict_1.default.equal(st.runningKernel, NEW);
        strict_1.default.match(st.cmdline, / panic=10 oops=panic kernel_rollout\.trial=tok$/);
        strict_1.default.equal(st.systemdBoot?.oneShotEntry, null, 'the loader consumed the one-shot');
        strict_1.default.ok(st.systemdBoot?.entries.includes('kernel-rollout-trial+0-1.conf'), 'counted down, not blessed');
        strict_1.default.ok(!sim.commands('sd-01').some((c) => c.source === 'systemd' && /systemd-bless-boot/.test(c.command)));
        // The trial was not committed: the next boot is the default, never the trial by itself.
        await reboot('sd-01');
        st = sim.inspect('sd-01');
        strict_1.default.equal(st.runningKernel, OLD);
        strict_1.default.match(st.boots.at(-1)?.grubReason ?? '', /^LoaderEntryDefault=/);
        // Without the EFI variable: loader.conf's default, still the known-good.
        const s2 = await connect('sd-01');
        try {
            await s2.run('bootctl set-default ""', { sudo: true });
            await reboot('sd-01');
            st = sim.inspect('sd-01');
            strict_1.default.equal(st.runningKernel, OLD);
            strict_1.default.match(st.boots.at(-1)?.grubReason ?? '', /^loader\.conf default /);
        }
        finally {
            s2.close();
        }
        // No default at all: the newest entry the loader may pick by itself, never the new kernel
        // (its own entry and the spent trial entry have no tries left): the known-good.
        const s3 = await connect('sd-01');
        try {
            await s3.run("bootctl set-default '' && sed -i '/^default /d' /boot/efi/loader/loader.conf", { sudo: true });
        }
        finally {
            s3.close();
        }
        await reboot('sd-01');
        st = sim.inspect('sd-01');
        strict_1.default.equal(st.runningKernel, OLD, st.boots.at(-1)?.grubReason);
    });
    (0, node_test_1.test)('rollback (disarm): the one-shot, the trial entry and the bless drop-in are gone; safe to repeat', async () => {
        const s = await connect('sd-01');
        try {
            const trial = await systemd_boot_1.systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
            await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok2', []), []);
            strict_1.default.equal((await s.exec(`test -e ${systemd_boot_1.BLESS_DROPIN_PATH}`)).code, 0);
            strict_1.default.deepEqual(await systemd_boot_1.systemdBoot.disarm(s, ['echo along-with > /tmp/disarm-step']), { regenerated: false });
            strict_1.default.deepEqual(await systemd_boot_1.systemdBoot.disarm(s, []), { regenerated: false }, 'safe to repeat');
            const st = sim.inspect('sd-01').systemdBoot;
            strict_1.default.equal(st?.oneShotEntry, null);
            strict_1.default.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
            strict_1.default.equal((await s.exec(`test -e ${systemd_boot_1.BLESS_DROPIN_PATH}`)).code, 1);
            strict_1.default.equal((await s.run('cat /tmp/disarm-step')).trim(), 'along-with');
        }
        finally {
            s.close();
        }
    });
    (0, node_test_1.test)('commit in the trial boot (commitDefault, one round trip): trial entry gone, the new kernel’s own entry the default, booted with its own options', async () => {
        const s = await connect('sd-01');
        try {
            const trial = await systemd_boot_1.systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
            await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok3', []), []);
        }
        finally {
            s.close();
        }
        await reboot('sd-01');
        strict_1.default.equal(sim.inspect('sd-01').runningKernel, NEW);
        const s2 = await connect('sd-01');
        try {
            const steps = {
                disarmAlongWith: ['echo along-with > /tmp/commit-disarm-step'],
                after: ['echo out; echo err >&2'],
            };
            // A guard that fails: nothing changes, the last steps do not run.
            const failedRead = await facts(s2);
            const commands = sshCommands();
            await strict_1.default.rejects(systemd_boot_1.systemdBoot.commitDefault(s2, NEW, 'sd-01', failedRead, { ...steps, before: ['false'] }), /reads back as LoaderEntryDefault=.*-6\.1\.0-55-cloud-amd64\.conf/);
            strict_1.default.equal(sshCommands() - commands, 1, 'one round trip');
            let st = sim.inspect('sd-01').systemdBoot;
            strict_1.default.equal(st?.defaultEntry, entryOf(OLD));
            strict_1.default.ok(st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), 'not disarmed');
            strict_1.default.equal((await s2.exec('test -e /tmp/commit-disarm-step')).code, 1);
            const read = await facts(s2);
            const before = sshCommands();
            const pinned = await systemd_boot_1.systemdBoot.commitDefault(s2, NEW, 'sd-01', read, { ...steps, before: ['true'] });
            strict_1.default.equal(sshCommands() - before, 1, 'one round trip');
            strict_1.default.equal(pinned.entry, entryOf(NEW));
            strict_1.default.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out'], 'stdout and stderr of the last steps');
            st = sim.inspect('sd-01').systemdBoot;
            strict_1.default.equal(st?.defaultEntry, entryOf(NEW));
            strict_1.default.equal(st?.loaderConfDefault, entryOf(NEW));
            strict_1.default.equal(st?.oneShotEntry, null);
            strict_1.default.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')));
            strict_1.default.equal((await s2.exec(`test -e ${systemd_boot_1.BLESS_DROPIN_PATH}`)).code, 1);
            strict_1.default.equal((await s2.run('cat /tmp/commit-disarm-step')).trim(), 'along-with');
            const again = await systemd_boot_1.systemdBoot.commitDefault(s2, NEW, 'sd-01', await facts(s2), { ...steps, before: [] });
            strict_1.default.equal(again.entry, entryOf(NEW), 'safe to repeat');
        }
        finally {
            s2.close();
        }
        await reboot('sd-01');
        const st = sim.inspect('sd-01');
        strict_1.default.equal(st.runningKernel, NEW);
        strict_1.default.doesNotMatch(st.cmdline, /panic=|kernel_rollout/);
    });
});
//# sourceMappingURL=systemd-boot.sim.test.js.map