"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const activity_1 = require("@temporalio/activity");
const bootloader_1 = require("../bootloader/bootloader");
const combined_1 = require("./combined");
(0, node_test_1.describe)('inPart: a failed part of a combined activity', () => {
    (0, node_test_1.test)('keeps the type and retryability of an ApplicationFailure and names the part', () => {
        const err = (0, combined_1.inPart)('stage', activity_1.ApplicationFailure.nonRetryable('grub changed', 'BootloaderChangedError'));
        strict_1.default.ok(err instanceof activity_1.ApplicationFailure);
        strict_1.default.equal(err.message, 'stage: grub changed');
        strict_1.default.equal(err.type, 'BootloaderChangedError');
        strict_1.default.equal(err.nonRetryable, true);
        strict_1.default.deepEqual(err.details, [{ part: 'stage' }]);
    });
    (0, node_test_1.test)('types a plain error by its name, as the SDK would, and leaves it retryable', () => {
        const err = (0, combined_1.inPart)('install', new bootloader_1.BootloaderChangedError('host shows systemd-boot'));
        strict_1.default.ok(err instanceof activity_1.ApplicationFailure);
        strict_1.default.equal(err.type, 'BootloaderChangedError');
        strict_1.default.equal(err.nonRetryable, false, 'the retry policy decides by type');
        strict_1.default.match(err.message, /^install: host shows systemd-boot/);
    });
    (0, node_test_1.test)('keeps what the part put in its own details', () => {
        const inner = activity_1.ApplicationFailure.create({ message: 'x', type: 'T', details: [{ earlierAttemptRan: true }] });
        const err = (0, combined_1.inPart)('commit', inner);
        strict_1.default.deepEqual(err.details, [{ part: 'commit', earlierAttemptRan: true }]);
    });
    (0, node_test_1.test)('leaves a cancellation as it is', () => {
        const cancelled = new activity_1.CancelledFailure('activity cancelled');
        strict_1.default.equal((0, combined_1.inPart)('install', cancelled), cancelled);
    });
});
/** Single steps that record their order and fail where told. */
function recordingSteps(log, opts = {}) {
    const stepFn = (name, result) => async () => {
        log.push(name);
        if (opts.failAt === name)
            throw new Error(`${name} broke`);
        return result;
    };
    return {
        pinKnownGood: stepFn('pin', { knownGoodEntry: 'e', fixedGrubDefault: false, backupPath: null }),
        installKernel: stepFn('install', { alreadyInstalled: false, packageName: 'p', seconds: 1 }),
        stageTrialBoot: stepFn('stage', { knownGoodEntry: 'e', trialEntry: 't' }),
    };
}
const target = { host: 'h' };
(0, node_test_1.describe)('combinedSteps', () => {
    const prepare = { target, knownGoodRelease: 'a', toRelease: 'b', source: { kind: 'apt' } };
    (0, node_test_1.test)('prepareTrialBoot runs pin, install, stage in order and stops at the first failure', async () => {
        const log = [];
        await (0, combined_1.combinedSteps)(recordingSteps(log)).prepareTrialBoot(prepare);
        strict_1.default.deepEqual(log, ['pin', 'install', 'stage']);
        const failed = [];
        await strict_1.default.rejects((0, combined_1.combinedSteps)(recordingSteps(failed, { failAt: 'install' })).prepareTrialBoot(prepare), {
            message: 'install: install broke',
        });
        strict_1.default.deepEqual(failed, ['pin', 'install'], 'nothing staged after a failed install');
    });
});
//# sourceMappingURL=combined.test.js.map