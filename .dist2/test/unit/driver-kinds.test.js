"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Every activity that uses a driver takes its kind from the request and has no default: a request
 * without one is refused, naming the field, before any connection is made. A pin on a host that no
 * longer shows the bootloader preflight found is refused after one read-only round trip, before
 * anything on the host is changed.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const activities_1 = require("../../src/activities");
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
const target = {
    host: 'web-01',
    port: 22,
    user: 'root',
    privateKeyPath: '/nonexistent/key',
    trustOnFirstUse: false,
};
const source = { kind: 'apt', packageName: `linux-image-${NEW}` };
/** Activities over a host that answers every sections round trip with `sections`; counts connections. */
function activitiesOn(sections) {
    const seen = { connections: 0, commands: [] };
    const answer = (cmd) => [...cmd.matchAll(/echo '(@@kernel-rollout@@ ([a-z-]+))'/g)]
        .map((m) => `${m[1]}\n${sections[m[2] ?? ''] ?? ''}`)
        .join('\n');
    const session = {
        run: async (cmd) => {
            seen.commands.push(cmd);
            return answer(cmd);
        },
        exec: async (cmd) => {
            seen.commands.push(cmd);
            return { code: 0, signal: null, stdout: answer(cmd), stderr: '', durationMs: 0 };
        },
        upload: () => Promise.reject(new Error('no uploads here')),
        close: () => undefined,
    };
    const acts = (0, activities_1.createActivities)({
        connect: async () => {
            seen.connections += 1;
            return session;
        },
    });
    return { acts, seen };
}
const refusedFor = (field) => (err) => err.name === 'InvalidInputError' && err.message.startsWith(`${field}: missing; the request must name the `);
(0, node_test_1.describe)('an activity given no driver kind refuses, naming the field, before connecting', () => {
    (0, node_test_1.test)('no bootloader: pin, stage, commit and undo', async () => {
        const { acts, seen } = activitiesOn({});
        await strict_1.default.rejects(acts.pinKnownGood({ target, knownGoodRelease: OLD }), refusedFor('bootloader'));
        await strict_1.default.rejects(acts.stageTrialBoot({
            target,
            knownGoodRelease: OLD,
            toRelease: NEW,
            panicSeconds: 10,
            trialKernelArgs: [],
            revertAfterSeconds: 120,
            trialToken: 'abc123',
            useKexec: false,
        }), refusedFor('bootloader'));
        await strict_1.default.rejects(acts.commitKernel({ target, toRelease: NEW, expectedBootId: '00000000-0000-4000-8000-000000000001' }), refusedFor('bootloader'));
        await strict_1.default.rejects(acts.undoTrial({
            target,
            knownGoodRelease: OLD,
            failedRelease: NEW,
            removeFailedKernel: false,
            packageManager: 'dpkg',
        }), refusedFor('bootloader'));
        strict_1.default.equal(seen.connections, 0);
    });
    (0, node_test_1.test)('no package manager: install, undo, and a kexec reboot', async () => {
        const { acts, seen } = activitiesOn({});
        await strict_1.default.rejects(acts.installKernel({ target, toRelease: NEW, source }), refusedFor('packageManager'));
        await strict_1.default.rejects(acts.undoTrial({
            target,
            knownGoodRelease: OLD,
            failedRelease: NEW,
            removeFailedKernel: true,
            bootloader: 'grub-debian',
        }), refusedFor('packageManager'));
        await strict_1.default.rejects(acts.rebootHost({
            target,
            expectedBootId: '00000000-0000-4000-8000-000000000000',
            useKexec: true,
            toRelease: NEW,
            trialToken: 'abc123',
            panicSeconds: 10,
            trialKernelArgs: [],
        }), refusedFor('packageManager'));
        strict_1.default.equal(seen.connections, 0);
    });
});
(0, node_test_1.describe)('the host no longer shows the bootloader preflight found', () => {
    (0, node_test_1.test)('pin: BootloaderChangedError, non-retryable, after one read-only round trip', async () => {
        // GRUB's configuration is left, its menu is not: GRUB does not boot this host any more.
        const { acts, seen } = activitiesOn({ 'uname-r': OLD, 'default-grub': 'GRUB_DEFAULT=saved\n' });
        await strict_1.default.rejects(acts.pinKnownGood({ target, knownGoodRelease: OLD, bootloader: 'grub-debian' }), (err) => err.type === 'BootloaderChangedError' &&
            err.nonRetryable === true &&
            /^web-01: preflight found the grub-debian bootloader, the host now shows none kernel-rollout drives/.test(err.message));
        strict_1.default.equal(seen.connections, 1);
        strict_1.default.equal(seen.commands.length, 1, seen.commands.join('\n---\n'));
        strict_1.default.doesNotMatch(seen.commands[0] ?? '', /grub-set-default|update-grub|sed -i/);
    });
});
//# sourceMappingURL=driver-kinds.test.js.map