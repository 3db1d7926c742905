"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FakeHost = void 0;
exports.newHostState = newHostState;
exports.bootIdFor = bootIdFor;
exports.createStubActivities = createStubActivities;
/**
 * A model host for workflow tests (tier 1 of docs/testing.md): the activities are stubbed, the
 * Temporal server is real. The model keeps the boot state that matters to the safety argument —
 * running kernel, boot id, saved default, one-shot, reboots — and plays one trial behaviour.
 * Optionally persisted to a JSON file so a worker in another process (killed and restarted by a
 * test) sees the same host.
 */
const node_fs_1 = require("node:fs");
const activity_1 = require("@temporalio/activity");
const common_1 = require("@temporalio/common");
const combined_1 = require("../../src/activities/steps/combined");
function newHostState(old, trial) {
    return {
        running: old,
        bootId: bootIdFor(0),
        bootSeq: 0,
        savedDefault: null,
        nextEntry: null,
        installed: [old],
        up: true,
        reboots: 0,
        powerCycles: 0,
        trial,
        staged: false,
        revertArmed: false,
        grubDefault: '0',
        verifiedBoots: [old],
        calls: {},
        holdAwait: false,
        holdRebootAfterIssue: false,
        trialBootRefs: [],
        bootloader: 'grub-debian',
        packageManager: 'dpkg',
        bootloaderChangesAt: null,
        driverRequests: [],
    };
}
function bootIdFor(seq) {
    return `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;
}
class FakeHost {
    state;
    file;
    constructor(state, file) {
        this.state = state;
        this.file = file;
        this.save();
    }
    static fromFile(file) {
        if (!(0, node_fs_1.existsSync)(file))
            throw new Error(`no fake host state at ${file}`);
        return new FakeHost(JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8')), file);
    }
    get() {
        if (this.file)
            this.state = JSON.parse((0, node_fs_1.readFileSync)(this.file, 'utf8'));
        return this.state;
    }
    update(fn) {
        const s = this.get();
        fn(s);
        this.save();
        return s;
    }
    save() {
        // Write-then-rename: a reader in the other process never sees a half-written file.
        if (this.file) {
            (0, node_fs_1.writeFileSync)(`${this.file}.tmp`, JSON.stringify(this.state, null, 2));
            (0, node_fs_1.renameSync)(`${this.file}.tmp`, this.file);
        }
    }
    /** A reboot as GRUB would do it: one-shot if set (and cleared), else the saved default. */
    bootThroughGrub(s) {
        const entry = s.nextEntry ?? s.savedDefault ?? s.installed[s.installed.length - 1] ?? s.running;
        s.nextEntry = null;
        s.bootSeq += 1;
        s.bootId = bootIdFor(s.bootSeq);
        s.reboots += 1;
        const isTrial = s.staged && entry !== s.savedDefault;
        if (isTrial && s.trial === 'panic') {
            // panic=N: the trial kernel reboots itself; the one-shot is spent, so the default boots.
            s.bootSeq += 1;
            s.bootId = bootIdFor(s.bootSeq);
            s.running = s.savedDefault ?? s.running;
            s.up = true;
            return;
        }
        if (isTrial && (s.trial === 'hang' || s.trial === 'hang-forever')) {
            s.running = entry;
            s.up = false;
            return;
        }
        s.running = entry;
        s.up = true;
    }
}
exports.FakeHost = FakeHost;
/** Debian's "Advanced options" menu entry id of a release, as the GRUB driver reads it. */
const grubEntryId = (release) => `gnulinux-advanced-x>gnulinux-${release}-advanced-x`;
const tick = (ms) => activity_1.Context.current().sleep(ms);
function count(host, name) {
    host.update((s) => {
        s.calls[name] = (s.calls[name] ?? 0) + 1;
    });
}
/**
 * What the real activities do with the driver kinds a request names: refuse a missing one
 * (InvalidInputError naming the field) and a bootloader the host no longer has
 * (BootloaderChangedError), before changing anything. Every request's kinds are recorded.
 */
function checkDrivers(host, activity, req, uses) {
    host.update((s) => {
        s.driverRequests.push({
            activity,
            ...(req.bootloader !== undefined ? { bootloader: req.bootloader } : {}),
            ...(req.packageManager !== undefined ? { packageManager: req.packageManager } : {}),
        });
        if (s.bootloaderChangesAt?.activity === activity) {
            s.bootloader = s.bootloaderChangesAt.to;
            s.bootloaderChangesAt = null;
        }
    });
    const s = host.get();
    if (uses.bootloader && !req.bootloader) {
        throw common_1.ApplicationFailure.nonRetryable('bootloader: missing', 'InvalidInputError');
    }
    if (uses.packageManager && !req.packageManager) {
        throw common_1.ApplicationFailure.nonRetryable('packageManager: missing', 'InvalidInputError');
    }
    if (uses.bootloader && req.bootloader !== s.bootloader) {
        throw common_1.ApplicationFailure.nonRetryable(`preflight found the ${req.bootloader} bootloader, the host now shows ${s.bootloader}`, 'BootloaderChangedError');
    }
}
/** The bootloader preflight reports for the model host: GRUB's facts as the real driver has them. */
function preflightBootloader(s) {
    return {
        kind: s.bootloader,
        ...(s.bootloaderLabel ? { label: s.bootloaderLabel } : {}),
        summary: [
            `GRUB_DEFAULT=${s.grubDefault}, saved_entry=${s.savedDefault ?? '(unset)'}, next_entry=${s.nextEntry ?? '(unset)'}`,
        ],
        details: {
            grubDefault: s.grubDefault,
            grubSaveDefault: false,
            grubTimeout: 5,
            savedEntry: s.savedDefault,
            nextEntry: s.nextEntry,
            envNotWritableReason: null,
            entries: s.installed.map((r) => ({ release: r, id: grubEntryId(r), title: r })),
            runningKernelEntry: s.installed.includes(s.running) ? grubEntryId(s.running) : null,
        },
    };
}
/** Stub activities with the real ones' signatures, acting on the model host. */
function createStubActivities(host) {
    const single = { ...stubBeforeReboot(host), ...stubReboot(host), ...stubAfterReboot(host) };
    // prepareTrialBoot is the product's own, made of the model's single steps; commitVerifiedTrial
    // (one session on a real host) is the model's verify, then its commit when that passed.
    return {
        ...single,
        ...(0, combined_1.combinedSteps)(single),
        async commitVerifiedTrial(req) {
            const { target, expectedRelease, expectedBootId, healthChecks, bootloader } = req;
            const verdict = await (0, combined_1.part)('verify', () => single.verifyKernel({ target, expectedRelease, expectedBootId, healthChecks }));
            if (!verdict.ok)
                return { verdict, commit: null };
            const commit = await (0, combined_1.part)('commit', () => single.commitKernel({ target, toRelease: expectedRelease, expectedBootId, bootloader }));
            return { verdict, commit };
        },
    };
}
/** Before the reboot: the facts preflight reads, the pin, the install, the staged trial. */
function stubBeforeReboot(host) {
    return {
        async preflight(req) {
            count(host, 'preflight');
            const s = host.get();
            const facts = {
                host: req.target.host,
                distroId: 'debian',
                distroVersion: '12',
                runningKernel: s.running,
                bootId: s.bootId,
                kernelCmdline: 'root=/dev/vda1 ro',
                installedKernels: s.installed,
                bootFreeBytes: 400 * 1048576,
                dpkgLocked: false,
                kexecAvailable: true,
                systemd: true,
                packageManager: s.packageManager,
                bootloader: preflightBootloader(s),
                refusals: [],
                warnings: [],
                fixes: [],
            };
            return facts;
        },
        async pinKnownGood(req) {
            count(host, 'pinKnownGood');
            checkDrivers(host, 'pinKnownGood', req, { bootloader: true });
            host.update((s) => {
                s.grubDefault = 'saved';
                s.savedDefault = req.knownGoodRelease;
            });
            return {
                knownGoodEntry: req.knownGoodRelease,
                fixedGrubDefault: true,
                backupPath: '/etc/default/grub.kernel-rollout.bak',
            };
        },
        async installKernel(req) {
            count(host, 'installKernel');
            checkDrivers(host, 'installKernel', req, { packageManager: true });
            const already = host.get().installed.includes(req.toRelease);
            host.update((s) => {
                if (!s.installed.includes(req.toRelease))
                    s.installed.push(req.toRelease);
            });
            return { alreadyInstalled: already, packageName: `linux-image-${req.toRelease}`, seconds: 0 };
        },
        async stageTrialBoot(req) {
            count(host, 'stageTrialBoot');
            checkDrivers(host, 'stageTrialBoot', req, { bootloader: true });
            host.update((s) => {
                s.savedDefault = req.knownGoodRelease;
                s.nextEntry = req.useKexec ? null : req.toRelease;
                s.staged = true;
                s.revertArmed = true;
            });
            return { knownGoodEntry: req.knownGoodRelease, trialEntry: req.useKexec ? null : 'kernel-rollout-trial' };
        },
    };
}
/** The reboot, the wait for the host, and the out-of-band reset. */
function stubReboot(host) {
    return {
        async rebootHost(req) {
            count(host, 'rebootHost');
            checkDrivers(host, 'rebootHost', req, { packageManager: req.useKexec });
            const s0 = host.get();
            if (s0.bootId !== req.expectedBootId)
                return { issued: false, method: 'already-rebooted' };
            host.update((s) => {
                if (req.useKexec) {
                    s.nextEntry = req.toRelease;
                }
                host.bootThroughGrub(s);
            });
            while (host.get().holdRebootAfterIssue)
                await tick(100);
            return { issued: true, method: req.useKexec ? 'kexec' : 'systemctl-reboot' };
        },
        async awaitHostReturn(req) {
            count(host, 'awaitHostReturn');
            // As the real activity: from the reboot the workflow names, else from this attempt.
            const downSince = req.downSinceEpochMs ?? Date.now();
            for (;;) {
                const s = host.get();
                activity_1.Context.current().heartbeat({ up: s.up });
                if (s.up && !s.holdAwait && s.bootId !== req.previousBootId) {
                    return {
                        back: true,
                        bootId: s.bootId,
                        runningKernel: s.running,
                        secondsAway: Math.max(0, Math.round((Date.now() - downSince) / 1000)),
                    };
                }
                if (Date.now() >= req.deadlineEpochMs)
                    return { back: false, lastError: 'connect ECONNREFUSED (model host down)' };
                await tick(50);
            }
        },
        async powerCycle(req) {
            count(host, 'powerCycle');
            if (req.power.driver === 'none')
                return { performed: false, message: `${req.host}: driver none` };
            host.update((s) => {
                s.powerCycles += 1;
                s.nextEntry = null;
                host.bootThroughGrub(s);
                s.up = s.trial !== 'hang-forever';
            });
            return { performed: true, message: `${req.host}: reset` };
        },
    };
}
/** After the reboot: verification, then the confirmation and commit, or the undo. */
function stubAfterReboot(host) {
    return {
        async verifyKernel(req) {
            count(host, 'verifyKernel');
            const s = host.get();
            const failures = [];
            if (s.running !== req.expectedRelease)
                failures.push(`uname -r is ${s.running}`);
            if (s.bootId !== req.expectedBootId)
                failures.push('boot id changed');
            if (failures.length === 0 && s.trial === 'unhealthy' && s.running !== s.savedDefault) {
                failures.push('system state is degraded (failed: nginx.service)');
            }
            return { ok: failures.length === 0, runningKernel: s.running, bootId: s.bootId, failures };
        },
        async confirmTrial(req) {
            count(host, 'confirmTrial');
            host.update((s) => {
                if (s.bootId === req.expectedBootId)
                    s.revertArmed = false;
            });
            return { confirmed: true };
        },
        async commitKernel(req) {
            count(host, 'commitKernel');
            checkDrivers(host, 'commitKernel', req, { bootloader: true });
            const s = host.get();
            if (s.running !== req.toRelease || s.bootId !== req.expectedBootId) {
                throw common_1.ApplicationFailure.nonRetryable(`refusing to commit ${req.toRelease}`, 'UnsafeHostError');
            }
            host.update((st) => {
                st.savedDefault = req.toRelease;
                st.verifiedBoots.push(req.toRelease);
                st.staged = false;
                st.nextEntry = null;
                st.revertArmed = false;
            });
            return { savedEntry: req.toRelease };
        },
        async undoTrial(req) {
            count(host, 'undoTrial');
            checkDrivers(host, 'undoTrial', req, { bootloader: true, packageManager: true });
            host.update((s) => {
                s.trialBootRefs.push(req.trialBoot ?? null);
                s.nextEntry = null;
                s.staged = false;
                s.revertArmed = false;
                s.savedDefault = req.knownGoodRelease;
            });
            return { savedEntry: req.knownGoodRelease, evidence: '' };
        },
    };
}
//# sourceMappingURL=fake-host.js.map