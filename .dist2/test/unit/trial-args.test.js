"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Trial kernel arguments cannot switch off the safety net: they are appended after the product's
 * own `panic=N oops=panic kernel_rollout.trial=…`, so anything that would override those or mask
 * the revert units is refused, and arguments under which the revert timer cannot run need an
 * out-of-band power driver. The grammar accepts what real hosts use (`root=UUID=…`), nothing
 * that could mean something else to GRUB or a shell.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_test_1 = require("node:test");
const fast_check_1 = __importDefault(require("fast-check"));
const kernel_args_1 = require("../../src/activities/trial/kernel-args");
const schemas_1 = require("../../src/shared/schemas");
const shell_1 = require("../../src/shared/shell");
const valid = {
    target: { host: 'web-01.example.org', user: 'deploy', privateKeyPath: '/home/op/.ssh/id_ed25519' },
    toRelease: '6.1.0-56-cloud-amd64',
    source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
};
const withArgs = (trialKernelArgs, power) => ({
    ...valid,
    trialKernelArgs,
    ...(power ? { power } : {}),
});
const refusal = (input) => {
    try {
        (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, input);
    }
    catch (e) {
        strict_1.default.ok(e instanceof schemas_1.InvalidInputError, String(e));
        return e.message;
    }
    strict_1.default.fail('accepted');
};
const POWER = { driver: 'command', argv: ['/usr/local/bin/power-cycle', 'web-01'] };
(0, node_test_1.describe)('trial kernel arguments', () => {
    (0, node_test_1.test)('values holding = are accepted, as the kernel accepts them', () => {
        const args = [
            'root=UUID=0b9f5a1e-8d4c-4a35-9f4e-2b7c1d3e5f60',
            'root=PARTUUID=6c0f2a8e-01',
            'console=ttyS0,115200n8',
            'rd.luks.uuid=luks-0b9f5a1e',
            'nvme_core.default_ps_max_latency_us=0',
            'quiet',
        ];
        const v = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, withArgs(args));
        strict_1.default.deepEqual(v.trialKernelArgs, args);
        strict_1.default.deepEqual((0, kernel_args_1.trialKernelArgs)(10, 'abc123', args).slice(3), args);
    });
    for (const arg of [
        'panic=0',
        'PANIC=0',
        'oops=continue',
        'panic_on_oops=0',
        'sysctl.kernel.panic=0',
        'sysctl.kernel.panic_on_oops=0',
        'kernel_rollout.trial=other',
        'kernel-rollout.trial=other',
        'systemd.mask=kernel-rollout-revert.timer',
        'systemd.mask=timers.target',
        'rd.systemd.mask=kernel-rollout-revert.service',
    ]) {
        (0, node_test_1.test)(`refused whatever the power driver: ${arg}`, () => {
            const message = refusal(withArgs([arg], POWER));
            strict_1.default.match(message, /^trialKernelArgs\.0: refused: .*(panic|token|mask)/m);
            strict_1.default.throws(() => (0, kernel_args_1.trialKernelArgs)(10, 'abc123', [arg]), /trialKernelArgs: refused/);
        });
    }
    for (const arg of ['init=/bin/sh', 'single', '-s', 'emergency', 'systemd.unit=rescue.target', 'rd.break', '1']) {
        (0, node_test_1.test)(`needs a power driver (the revert timer cannot run): ${arg}`, () => {
            strict_1.default.match(refusal(withArgs([arg])), /^trialKernelArgs\.0: .*revert timer cannot run.*power driver/m);
            strict_1.default.deepEqual((0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, withArgs([arg], POWER)).trialKernelArgs, [arg]);
        });
    }
    (0, node_test_1.test)('a rollout template: every host without a power driver makes it a refusal', () => {
        const request = (hostPower) => ({
            rolloutId: 'r-1',
            template: { toRelease: valid.toRelease, source: valid.source, trialKernelArgs: ['init=/bin/sh'] },
            hosts: [{ host: 'web-01', ...(hostPower ? { power: hostPower } : {}) }],
        });
        strict_1.default.throws(() => (0, schemas_1.parseOrThrow)(schemas_1.rolloutRequestSchema, request()), /template\.trialKernelArgs\.0: .*power driver/);
        strict_1.default.doesNotThrow(() => (0, schemas_1.parseOrThrow)(schemas_1.rolloutRequestSchema, request(POWER)));
    });
    (0, node_test_1.test)('quotes, spaces and shell characters are refused, naming the field', () => {
        for (const arg of ['a="b c"', 'x=$(reboot)', 'x=`id`', 'a;b', 'x=a\\b', 'x=a\nb', '']) {
            strict_1.default.match(refusal(withArgs([arg])), /^trialKernelArgs\.0: /m, JSON.stringify(arg));
        }
    });
    (0, node_test_1.test)('property: any string is refused naming trialKernelArgs, or is one shell word that runs nothing', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.string({ unit: 'binary', maxLength: 80 }), (arg) => {
            let parsed;
            try {
                parsed = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, withArgs([arg], POWER)).trialKernelArgs;
            }
            catch (e) {
                strict_1.default.ok(e instanceof schemas_1.InvalidInputError);
                strict_1.default.match(e.message, /^trialKernelArgs\.0: /m);
                return;
            }
            strict_1.default.ok(shell_1.KERNEL_ARG_RE.test(parsed[0]));
            // Through a real shell, the quoted argument is exactly one word, unchanged.
            const out = (0, node_child_process_1.spawnSync)('sh', ['-c', `printf '%s\\n' ${(0, shell_1.shellQuote)(parsed[0])}`], { encoding: 'utf8' });
            strict_1.default.equal(out.stdout, `${parsed[0]}\n`);
        }), { numRuns: 300 });
    });
});
//# sourceMappingURL=trial-args.test.js.map