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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * kernel-rollout's own activities (the real SSH transport, no stubs) against simulated hosts:
 * the whole happy path, a .deb upload over SFTP, a kexec trial, and a trial kernel without
 * network that the host-side revert timer brings back. Every request names the drivers the real
 * preflight found, as the workflow passes them.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const activities_1 = require("../../src/activities");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("./helpers");
(0, node_test_1.describe)('kernel-rollout activities on a simulated host', () => {
    let sim;
    const acts = (0, activities_1.createActivities)();
    const mock = new testing_1.MockActivityEnvironment();
    // run() in a mocked activity context (awaitHostReturn heartbeats and sleeps through it).
    const env = {
        run: (fn, ...args) => mock.run(fn, ...args),
    };
    const target = (name) => ({
        host: name,
        address: '127.0.0.1',
        port: sim.host(name).port,
        user: 'root',
        privateKeyPath: sim.clientKeyPath,
        knownHostsPath: sim.knownHostsPath,
        trustOnFirstUse: false,
    });
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                { name: 'db-01' },
                { name: 'db-02' },
                { name: 'db-03', faults: { kernels: { [helpers_1.NEW]: 'no-network' } } },
                { name: 'db-04' },
            ],
            bootSeconds: 1,
        });
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    async function upgrade(name, source, opts = {}) {
        const t = target(name);
        const useKexec = opts.useKexec ?? false;
        const facts = await env.run(acts.preflight, { target: t, toRelease: helpers_1.NEW, source, useKexec });
        strict_1.default.deepEqual(facts.refusals, []);
        strict_1.default.equal(facts.runningKernel, helpers_1.OLD);
        strict_1.default.equal(facts.bootFreeBytes, 3_517_562_880);
        strict_1.default.equal(facts.bootloader.kind, 'grub-debian');
        strict_1.default.equal(facts.packageManager, 'dpkg');
        // What the workflow passes on: the drivers preflight found.
        const drivers = { bootloader: facts.bootloader.kind ?? undefined, packageManager: facts.packageManager };
        const pin = await env.run(acts.pinKnownGood, { target: t, knownGoodRelease: helpers_1.OLD, ...drivers });
        strict_1.default.equal(pin.knownGoodEntry, (0, helpers_1.entryOf)(helpers_1.OLD));
        strict_1.default.equal(pin.fixedGrubDefault, true);
        const install = await env.run(acts.installKernel, { target: t, toRelease: helpers_1.NEW, source, ...drivers });
        strict_1.default.equal(install.alreadyInstalled, false);
        const trial = {
            knownGoodRelease: helpers_1.OLD,
            toRelease: helpers_1.NEW,
            panicSeconds: 10,
            trialKernelArgs: [],
            revertAfterSeconds: opts.revertAfterSeconds ?? 120,
            trialToken: 'T0k3n',
            useKexec,
            ...drivers,
        };
        const stage = await env.run(acts.stageTrialBoot, { target: t, ...trial });
        const oneShot = useKexec ? null : 'kernel-rollout-trial';
        strict_1.default.equal(stage.trialEntry, oneShot);
        strict_1.default.equal(sim.inspect(name).nextEntry, oneShot);
        const reboot = await env.run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
        strict_1.default.equal(reboot.issued, true);
        // A retry of the reboot activity must not reboot twice.
        const again = await env.run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
        strict_1.default.match(again.method, /already-/);
        return { t, facts, drivers };
    }
    (0, node_test_1.it)('preflight → pin → install (apt) → stage → reboot → await → verify → commit', async () => {
        const { t, facts, drivers } = await upgrade('db-01', { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` });
        const back = await env.run(acts.awaitHostReturn, {
            target: t,
            previousBootId: facts.bootId,
            deadlineEpochMs: Date.now() + 30_000,
            pollCapSeconds: 1,
        });
        strict_1.default.ok(back.back);
        if (!back.back)
            return;
        strict_1.default.equal(back.runningKernel, helpers_1.NEW);
        strict_1.default.match(sim.inspect('db-01').cmdline, / panic=10 oops=panic kernel_rollout\.trial=T0k3n$/);
        const verify = await env.run(acts.verifyKernel, {
            target: t,
            expectedRelease: helpers_1.NEW,
            expectedBootId: back.bootId,
            healthChecks: [],
        });
        strict_1.default.deepEqual(verify.failures, []);
        strict_1.default.deepEqual(await env.run(acts.confirmTrial, { target: t, toRelease: helpers_1.NEW, expectedBootId: back.bootId }), {
            confirmed: true,
        });
        const commit = await env.run(acts.commitKernel, {
            target: t,
            toRelease: helpers_1.NEW,
            expectedBootId: back.bootId,
            ...drivers,
        });
        strict_1.default.equal(commit.savedEntry, (0, helpers_1.entryOf)(helpers_1.NEW));
        const st = sim.inspect('db-01');
        strict_1.default.equal(st.savedEntry, (0, helpers_1.entryOf)(helpers_1.NEW));
        strict_1.default.equal(st.nextEntry, null);
        strict_1.default.equal(st.grubDefault, 'saved');
        strict_1.default.equal(st.rebootsRequested, 1);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'db-01', 'ls /etc/grub.d/42_kernel_rollout_trial 2>&1 || true'), 'ls: cannot access \'/etc/grub.d/42_kernel_rollout_trial\': No such file or directory\n'); // prettier-ignore
        // The next plain reboot keeps the new kernel: it is the saved default now.
        await (0, helpers_1.sshOk)(sim, 'db-01', 'systemctl reboot');
        await sim.waitFor('db-01', ['down'], 5000);
        await sim.waitFor('db-01', ['up'], 10_000);
        strict_1.default.equal(sim.inspect('db-01').runningKernel, helpers_1.NEW);
    });
    (0, node_test_1.it)('installs an uploaded .deb (SFTP + sha256sum + dpkg -i)', async () => {
        const deb = path.join(sim.stateDir, `linux-image-${helpers_1.NEW}_6.1.192-2_amd64.deb`);
        (0, node_fs_1.writeFileSync)(deb, 'not a real package: the simulator reads the name\n');
        const sha256 = (0, node_crypto_1.createHash)('sha256').update('not a real package: the simulator reads the name\n').digest('hex');
        const { t } = await upgrade('db-02', { kind: 'deb', localPath: deb, sha256 });
        const back = await env.run(acts.awaitHostReturn, {
            target: t,
            previousBootId: sim.inspect('db-02').boots[0]?.bootId ?? '',
            deadlineEpochMs: Date.now() + 30_000,
            pollCapSeconds: 1,
        });
        strict_1.default.ok(back.back && back.runningKernel === helpers_1.NEW);
        strict_1.default.match(await (0, helpers_1.sshOk)(sim, 'db-02', 'sha256sum /var/cache/kernel-rollout/*.deb'), new RegExp(sha256));
        // Verified and committed in one activity (no stability window): a failed health check
        // changes nothing; a passed verification commits in three round trips in all.
        const ssh = () => sim.commands('db-02').filter((c) => c.source === 'ssh');
        const req = { target: t, expectedRelease: helpers_1.NEW, expectedBootId: back.bootId, bootloader: 'grub-debian' };
        let n = ssh().length;
        const failed = await env.run(acts.commitVerifiedTrial, {
            ...req,
            healthChecks: [{ kind: 'command', command: 'false', timeoutSeconds: 10 }],
        });
        strict_1.default.equal(failed.verdict.ok, false);
        strict_1.default.equal(failed.commit, null);
        strict_1.default.equal(sim.inspect('db-02').savedEntry, (0, helpers_1.entryOf)(helpers_1.OLD));
        const timer = 'test -e /etc/systemd/system/kernel-rollout-revert.timer && echo armed || echo gone';
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'db-02', timer), 'armed\n', 'the revert timer still armed');
        strict_1.default.ok(!ssh()
            .slice(n)
            .some((c) => /grub-set-default|confirmed|known-good/.test(c.command)), 'nothing written');
        n = ssh().length;
        const done = await env.run(acts.commitVerifiedTrial, {
            ...req,
            healthChecks: [{ kind: 'system-running', allowDegraded: false }],
        });
        strict_1.default.deepEqual(done.verdict.failures, []);
        strict_1.default.equal(done.commit?.savedEntry, (0, helpers_1.entryOf)(helpers_1.NEW));
        strict_1.default.match(done.commit?.panicSettings ?? '', /^kernel\.panic=0 kernel\.panic_on_oops=0 \(the host's own settings/);
        strict_1.default.equal(ssh().length - n, 2, 'the read (its health check passed in it) and the commit');
        const st = sim.inspect('db-02');
        strict_1.default.equal(st.savedEntry, (0, helpers_1.entryOf)(helpers_1.NEW));
        strict_1.default.equal(st.nextEntry, null);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'db-02', timer), 'gone\n');
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'db-02', 'cat /var/lib/kernel-rollout/known-good'), `${helpers_1.NEW}\n`);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'db-02', 'test -e /run/kernel-rollout/confirmed && echo confirmed'), 'confirmed\n');
    });
    (0, node_test_1.it)('a kexec trial: the kernel and initramfs the package manager names, loaded with the trial arguments', async () => {
        const { t, facts } = await upgrade('db-04', { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` }, { useKexec: true });
        const back = await env.run(acts.awaitHostReturn, {
            target: t,
            previousBootId: facts.bootId,
            deadlineEpochMs: Date.now() + 30_000,
            pollCapSeconds: 1,
        });
        strict_1.default.ok(back.back && back.runningKernel === helpers_1.NEW, JSON.stringify(back));
        const st = sim.inspect('db-04');
        strict_1.default.equal(st.boots.at(-1)?.via, 'kexec');
        strict_1.default.match(st.cmdline, new RegExp(`^BOOT_IMAGE=/boot/vmlinuz-${helpers_1.NEW} .* panic=10 oops=panic kernel_rollout\\.trial=T0k3n$`));
        strict_1.default.equal(st.nextEntry, null, 'GRUB was left on its default');
    });
    (0, node_test_1.it)('a trial kernel without network is rebooted by the revert timer into the known-good kernel', async () => {
        const { t, facts, drivers } = await upgrade('db-03', { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` }, {
            revertAfterSeconds: 30,
        }); // prettier-ignore
        await sim.waitFor('db-03', ['no-network'], 10_000);
        const back = await env.run(acts.awaitHostReturn, {
            target: t,
            previousBootId: facts.bootId,
            deadlineEpochMs: Date.now() + 60_000,
            pollCapSeconds: 2,
        });
        strict_1.default.ok(back.back);
        if (!back.back)
            return;
        strict_1.default.equal(back.runningKernel, helpers_1.OLD);
        const st = sim.inspect('db-03');
        strict_1.default.deepEqual(st.boots.map((b) => `${b.release}:${b.outcome}`), [`${helpers_1.OLD}:up`, `${helpers_1.NEW}:no-network`, `${helpers_1.OLD}:up`]);
        strict_1.default.ok(sim.commands('db-03').some((c) => c.source === 'systemd' && /grub-editenv/.test(c.command)));
        // The host's power driver has its console (qmp, qemu's serial log on this worker): its last
        // lines join the evidence of the trial boot that is over.
        const serialLog = path.join(sim.stateDir, 'db-03-serial.log');
        (0, node_fs_1.writeFileSync)(serialLog, `[   31.000001] kernel-rollout-revert: rebooting\nPassword: not-for-the-evidence\n`);
        const undo = await env.run(acts.undoTrial, {
            target: t,
            knownGoodRelease: helpers_1.OLD,
            failedRelease: helpers_1.NEW,
            removeFailedKernel: true,
            power: { driver: 'qmp', socketPath: '/run/vm/qmp.sock', action: 'reset', serialLogPath: serialLog },
            ...drivers,
        });
        strict_1.default.equal(undo.savedEntry, (0, helpers_1.entryOf)(helpers_1.OLD));
        strict_1.default.match(undo.evidence, /\nconsole \(its last lines\):\n\[ {3}31\.000001\] kernel-rollout-revert: rebooting\nPassword: \[masked\]/);
        strict_1.default.deepEqual(sim.inspect('db-03').installedKernels, [helpers_1.OLD]);
    });
});
//# sourceMappingURL=activities.test.js.map