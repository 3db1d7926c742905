"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The GRUB-on-Debian driver's operations over real SSH against a simulated Debian 12 host (sim/:
 * GRUB's files and commands, checked against the testbed VM by the conformance test): pin, stage
 * in custom.cfg, disarm, the older /etc/grub.d way, and how many update-grub runs each costs.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const grub_debian_1 = require("./grub-debian");
const bootloader_1 = require("./bootloader");
const sections_1 = require("../sections");
const ssh_1 = require("../ssh");
const kernel_args_1 = require("../trial/kernel-args");
const simulator_1 = require("../../../sim/simulator");
const UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
(0, node_test_1.describe)('operations over SSH on a simulated Debian 12 host', () => {
    let sim;
    let s;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                {
                    name: 'grub-01',
                    kernels: [
                        { release: OLD, version: '6.1.192-1' },
                        { release: NEW, version: '6.1.192-2' },
                    ],
                },
                { name: 'efi-01', firmware: 'uefi' },
            ],
            bootSeconds: 1,
        });
        s = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host('grub-01').port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        });
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sim?.stop();
    });
    (0, node_test_1.test)('a UEFI host (grub-efi-amd64, the ESP stub): the same driver, named EFI, nothing refused', async () => {
        const efi = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host('efi-01').port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        });
        try {
            const read = async (session) => {
                const out = await session.exec((0, sections_1.sectionsScript)([['uname-r', 'uname -r'], ...grub_debian_1.grubDebian.factSections]), {
                    sudo: true,
                });
                const facts = grub_debian_1.grubDebian.readFacts((0, sections_1.splitSections)(out.stdout));
                strict_1.default.ok(facts);
                return facts;
            };
            const facts = await read(efi);
            strict_1.default.equal(grub_debian_1.grubDebian.variant?.(facts), 'EFI');
            strict_1.default.equal(grub_debian_1.grubDebian.summary(facts)[0], 'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv');
            strict_1.default.deepEqual(facts['efiStubs'], [{ path: '/boot/efi/EFI/debian/grub.cfg', problem: null }]);
            strict_1.default.deepEqual(grub_debian_1.grubDebian.assess(facts, { host: 'efi-01', runningKernel: OLD, toRelease: NEW }).refusals, []);
            // The BIOS host beside it: grub-pc, no /sys/firmware/efi (whatever the worker booted with).
            strict_1.default.equal(grub_debian_1.grubDebian.summary(await read(s))[0], 'GRUB 2.06 (BIOS), grubenv /boot/grub/grubenv');
        }
        finally {
            efi.close();
        }
    });
    const entryOf = (release) => `gnulinux-advanced-${UUID}>gnulinux-${release}-advanced-${UUID}`;
    (0, node_test_1.test)('preflight sections read over SSH: GRUB found, nothing refused', async () => {
        const out = await s.exec((0, sections_1.sectionsScript)([['uname-r', 'uname -r'], ...grub_debian_1.grubDebian.factSections]), { sudo: true });
        const all = (0, sections_1.splitSections)(out.stdout);
        const facts = grub_debian_1.grubDebian.readFacts(all);
        strict_1.default.ok(facts);
        strict_1.default.deepEqual(grub_debian_1.grubDebian.assess(facts, { host: 'grub-01', runningKernel: OLD, toRelease: NEW }).refusals, []);
        // A later step reads the step sections only, and detection finds the same driver there.
        const steps = Object.fromEntries((0, bootloader_1.bootloaderStepSections)().map(([name]) => [name, all[name] ?? '']));
        strict_1.default.equal((0, bootloader_1.detectBootloader)(steps)?.driver.kind, 'grub-debian');
    });
    const updateGrubRuns = () => sim.commands('grub-01').filter((c) => /\bupdate-grub\b/.test(c.command)).length;
    (0, node_test_1.test)('pin: GRUB_DEFAULT=saved (once, with a backup) and saved_entry := the known-good entry', async () => {
        const before0 = updateGrubRuns();
        const first = await grub_debian_1.grubDebian.pinDefault(s, OLD, 'grub-01');
        // grub.cfg's default 0 boots NEW (the newest) here: it must read the saved default now.
        strict_1.default.equal(updateGrubRuns() - before0, 1, 'one update-grub');
        strict_1.default.match(await s.run('cat /boot/grub/grub.cfg'), /set default="\$\{saved_entry\}"/);
        strict_1.default.deepEqual(first, {
            entry: entryOf(OLD),
            fixedConfiguration: true,
            backupPath: grub_debian_1.DEFAULT_GRUB_BACKUP_PATH,
            change: 'GRUB_DEFAULT set to saved',
        });
        strict_1.default.equal(sim.inspect('grub-01').grubDefault, 'saved');
        strict_1.default.equal(sim.inspect('grub-01').savedEntry, entryOf(OLD));
        const again = await grub_debian_1.grubDebian.pinDefault(s, OLD, 'grub-01');
        strict_1.default.equal(again.fixedConfiguration, false);
        strict_1.default.equal(updateGrubRuns() - before0, 1, 'none the second time');
    });
    (0, node_test_1.test)('stage a one-shot with the trial arguments in custom.cfg, read it back, disarm it: no update-grub', async () => {
        const before0 = updateGrubRuns();
        const cfgBefore = await s.run('cat /boot/grub/grub.cfg');
        const trial = await grub_debian_1.grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
        strict_1.default.equal(trial.knownGoodEntry, entryOf(OLD));
        const staged = await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok', []), ['echo along > /tmp/stage-step']);
        strict_1.default.equal(staged.entry, grub_debian_1.TRIAL_ENTRY_ID);
        strict_1.default.deepEqual(staged.state, await grub_debian_1.grubDebian.readState(s), 'read back in the same round trip');
        strict_1.default.equal(staged.state.defaultEntry, entryOf(OLD));
        strict_1.default.equal(staged.state.oneShotEntry, grub_debian_1.TRIAL_ENTRY_ID);
        strict_1.default.equal((await s.run('cat /tmp/stage-step')).trim(), 'along');
        strict_1.default.match(await s.run(`cat ${grub_debian_1.CUSTOM_CFG_PATH}`), /kernel_rollout\.trial=tok/);
        strict_1.default.equal(await s.run('cat /boot/grub/grub.cfg'), cfgBefore, 'grub.cfg untouched');
        strict_1.default.deepEqual(await grub_debian_1.grubDebian.disarm(s, ['echo along-with > /tmp/disarm-step']), { regenerated: false });
        strict_1.default.equal(sim.inspect('grub-01').nextEntry, null);
        strict_1.default.equal((await grub_debian_1.grubDebian.readState(s)).oneShotEntry, null);
        strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.TRIAL_SCRIPT_PATH}`)).code, 1);
        strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.CUSTOM_CFG_PATH}`)).code, 1);
        strict_1.default.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
        strict_1.default.equal((await s.run('cat /tmp/disarm-step')).trim(), 'along-with');
        strict_1.default.equal(updateGrubRuns() - before0, 0, 'no update-grub to stage or disarm');
    });
    const sshCommands = () => sim.commands('grub-01').filter((c) => c.source === 'ssh').length;
    const facts = async () => (0, sections_1.splitSections)((await s.exec((0, sections_1.sectionsScript)(grub_debian_1.grubDebian.factSections), { sudo: true })).stdout);
    const commitSteps = { disarmAlongWith: ['echo along-with > /tmp/commit-step'], after: ['echo out; echo err >&2'] };
    (0, node_test_1.test)('commitDefault: guard, disarm, the new default read back and the last steps in one round trip; nothing when the guard fails', async () => {
        const trial = await grub_debian_1.grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
        await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok', []), []);
        const before0 = updateGrubRuns();
        let read = await facts();
        let n = sshCommands();
        await strict_1.default.rejects(grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', read, { ...commitSteps, before: ['false'] }), /exit|failed|status/i);
        strict_1.default.equal(sshCommands() - n, 1, 'one round trip');
        strict_1.default.equal(sim.inspect('grub-01').savedEntry, entryOf(OLD), 'the default did not move');
        strict_1.default.equal(sim.inspect('grub-01').nextEntry, grub_debian_1.TRIAL_ENTRY_ID, 'not disarmed');
        strict_1.default.equal((await s.exec('test -e /tmp/commit-step')).code, 1);
        read = await facts();
        n = sshCommands();
        const pinned = await grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', read, { ...commitSteps, before: ['true'] });
        strict_1.default.equal(sshCommands() - n, 1, 'one round trip');
        strict_1.default.equal(pinned.entry, entryOf(NEW));
        strict_1.default.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out'], 'stdout and stderr of the last steps');
        strict_1.default.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
        strict_1.default.equal(sim.inspect('grub-01').nextEntry, null);
        strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.CUSTOM_CFG_PATH}`)).code, 1);
        strict_1.default.equal((await s.run('cat /tmp/commit-step')).trim(), 'along-with');
        strict_1.default.equal(updateGrubRuns() - before0, 0, 'no update-grub');
        const again = await grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: [] });
        strict_1.default.equal(again.entry, entryOf(NEW), 'safe to repeat');
        await grub_debian_1.grubDebian.pinDefault(s, OLD, 'grub-01');
    });
    for (const [literal, boots, regenerates] of [
        ['0', NEW, 0],
        ["'1>2'", OLD, 1],
    ]) {
        (0, node_test_1.test)(`commitDefault where grub.cfg boots entry ${literal} (${boots}), not the saved default: fixed only after the guard, regenerated ${regenerates} time(s)`, async () => {
            await s.run(`sed -i "s/^GRUB_DEFAULT=.*/GRUB_DEFAULT=${literal}/" /etc/default/grub && update-grub`, {
                sudo: true,
            });
            try {
                strict_1.default.equal(sim.inspect('grub-01').grubDefault, literal);
                const cfgBefore = await s.run('cat /boot/grub/grub.cfg');
                await strict_1.default.rejects(grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: ['false'] }));
                strict_1.default.equal(await s.run('cat /boot/grub/grub.cfg'), cfgBefore, 'nothing regenerated');
                strict_1.default.equal(sim.inspect('grub-01').grubDefault, literal, 'nothing fixed');
                const before0 = updateGrubRuns();
                const pinned = await grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), {
                    ...commitSteps,
                    before: ['true'],
                });
                // Entry 0 boots the new kernel already: grub.cfg can wait for the next kernel package's hook.
                strict_1.default.equal(updateGrubRuns() - before0, regenerates);
                strict_1.default.equal(pinned.fixedConfiguration, true);
                strict_1.default.equal(sim.inspect('grub-01').grubDefault, 'saved');
                strict_1.default.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
                strict_1.default.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out']);
            }
            finally {
                await grub_debian_1.grubDebian.pinDefault(s, OLD, 'grub-01');
            }
        });
    }
    (0, node_test_1.test)('a grub.cfg without 41_custom: the trial entry through /etc/grub.d and update-grub, removed the same way', async () => {
        await s.run('chmod -x /etc/grub.d/41_custom && update-grub', { sudo: true });
        try {
            const before0 = updateGrubRuns();
            const trial = await grub_debian_1.grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
            const staged = await trial.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok', []), []);
            strict_1.default.equal(staged.state.oneShotEntry, grub_debian_1.TRIAL_ENTRY_ID);
            strict_1.default.match(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=tok/);
            strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.CUSTOM_CFG_PATH}`)).code, 1);
            strict_1.default.equal(sim.inspect('grub-01').nextEntry, grub_debian_1.TRIAL_ENTRY_ID);
            strict_1.default.deepEqual(await grub_debian_1.grubDebian.disarm(s, []), { regenerated: true });
            strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.TRIAL_SCRIPT_PATH}`)).code, 1);
            strict_1.default.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
            strict_1.default.equal(updateGrubRuns() - before0, 2, 'one to add the entry, one to remove it');
            // The same trial committed: grub.cfg regenerated after the default moved, the trial entry gone.
            const again = await grub_debian_1.grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
            await again.stageOneShot((0, kernel_args_1.trialKernelArgs)(10, 'tok', []), []);
            const before1 = updateGrubRuns();
            const pinned = await grub_debian_1.grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: [] });
            strict_1.default.equal(pinned.entry, entryOf(NEW));
            strict_1.default.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
            strict_1.default.equal(sim.inspect('grub-01').nextEntry, null);
            strict_1.default.equal((await s.exec(`test -e ${grub_debian_1.TRIAL_SCRIPT_PATH}`)).code, 1);
            strict_1.default.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
            strict_1.default.equal(updateGrubRuns() - before1, 1, 'one to remove the entry');
            await grub_debian_1.grubDebian.pinDefault(s, OLD, 'grub-01');
        }
        finally {
            await s.run('chmod +x /etc/grub.d/41_custom && update-grub', { sudo: true });
        }
    });
    (0, node_test_1.test)('a kernel without a GRUB entry cannot be staged', async () => {
        await strict_1.default.rejects(grub_debian_1.grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: '6.1.0-99-cloud-amd64' }), (err) => err.name === 'UnsafeHostError' && /no GRUB entry boots 6\.1\.0-99-cloud-amd64/.test(err.message));
    });
});
//# sourceMappingURL=grub-debian.sim.test.js.map