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
exports.HEALTH_CHECKS = exports.UNHEALTHY_MARKER = exports.QUICK_FAULTS = exports.ALL_FAULTS = exports.FAULTS = exports.NEW = exports.OLD = void 0;
exports.powerConfig = powerConfig;
exports.injectFault = injectFault;
/**
 * The chaos suite's host faults: what each does to a simulated host (sim/MODEL.md), which power
 * driver the host gets, what the operator does when the run asks for one, and the outcome the
 * rollout must report. The expected outcomes are docs/safety.md's rollback matrix, nothing more.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
exports.OLD = '6.1.0-55-cloud-amd64';
exports.NEW = '6.1.0-56-cloud-amd64';
exports.FAULTS = {
    none: { kind: 'none', sim: {}, power: 'working', expected: 'upgraded' },
    panic: { kind: 'panic', sim: { kernels: { [exports.NEW]: 'panic' } }, power: 'working', expected: 'rolled-back' },
    'no-network': {
        kind: 'no-network',
        sim: { kernels: { [exports.NEW]: 'no-network' } },
        power: 'working',
        expected: 'rolled-back',
    },
    unhealthy: { kind: 'unhealthy', sim: {}, power: 'working', unhealthy: true, expected: 'rolled-back' },
    'hang-power': { kind: 'hang-power', sim: { kernels: { [exports.NEW]: 'hang' } }, power: 'working', expected: 'rolled-back' },
    'hang-power-fails': {
        kind: 'hang-power-fails',
        sim: { kernels: { [exports.NEW]: 'hang' } },
        power: 'failing',
        operator: 'give-up',
        expected: 'needs-attention',
    },
    'never-returns': {
        kind: 'never-returns',
        sim: { kernels: { [exports.NEW]: 'hang' } },
        power: 'ack-only',
        operator: 'give-up',
        expected: 'needs-attention',
    },
    'hang-operator-fixes': {
        kind: 'hang-operator-fixes',
        sim: { kernels: { [exports.NEW]: 'hang' } },
        power: 'ack-only',
        operator: 'reset-by-hand-and-mark-fixed',
        expected: 'rolled-back',
    },
    'ssh-drop-install': {
        kind: 'ssh-drop-install',
        sim: { dropMidCommand: { pattern: 'apt-get .*install', afterMs: 50 } },
        power: 'working',
        expected: 'upgraded',
    },
    // The reboot command's answer is lost with the connection (the command still runs): the retry
    // must neither reboot twice nor give up on a host that is rebooting.
    'ssh-drop-reboot': {
        kind: 'ssh-drop-reboot',
        sim: { dropMidCommand: { pattern: '> /run/kernel-rollout/reboot-requested', afterMs: 0 } },
        power: 'working',
        expected: 'upgraded',
    },
    // The same, and the trial kernel hangs: no retry can reach the host again.
    'ssh-drop-reboot-hang': {
        kind: 'ssh-drop-reboot-hang',
        sim: {
            dropMidCommand: { pattern: '> /run/kernel-rollout/reboot-requested', afterMs: 0 },
            kernels: { [exports.NEW]: 'hang' },
        },
        power: 'working',
        expected: 'rolled-back',
    },
    'ssh-drop-commit': {
        kind: 'ssh-drop-commit',
        sim: { dropMidCommand: { pattern: 'disable --now kernel-rollout-revert', afterMs: 20 } },
        power: 'working',
        expected: 'upgraded',
    },
    'dpkg-lock': { kind: 'dpkg-lock', sim: { dpkgLockSeconds: 4 }, power: 'working', expected: 'upgraded' },
    'boot-full': {
        kind: 'boot-full',
        sim: { bootFreeBytes: 10 * 1024 * 1024 },
        power: 'working',
        expected: 'refused',
    },
    'host-key-changed': {
        kind: 'host-key-changed',
        sim: { hostKeyChangesOnReboot: true },
        power: 'working',
        operator: 'give-up',
        expected: 'needs-attention',
    },
    'slow-boot': { kind: 'slow-boot', sim: { bootSeconds: 4 }, power: 'working', expected: 'upgraded' },
};
exports.ALL_FAULTS = Object.keys(exports.FAULTS);
/** Faults whose run ends within one boot deadline: the company of the worker-kill scenarios' trigger hosts. */
exports.QUICK_FAULTS = [
    'none',
    'panic',
    'unhealthy',
    'ssh-drop-install',
    'ssh-drop-reboot',
    'ssh-drop-commit',
    'dpkg-lock',
    'slow-boot',
    'boot-full',
    'host-key-changed',
];
/** The health check that makes `unhealthy` hosts fail verification on the new kernel. */
exports.UNHEALTHY_MARKER = '/var/lib/kernel-rollout-chaos/unhealthy';
exports.HEALTH_CHECKS = [
    { kind: 'system-running', allowDegraded: true },
    { kind: 'command', command: `test ! -e ${exports.UNHEALTHY_MARKER}`, timeoutSeconds: 30 },
];
/** dist/sim/power.js: the simulator's power driver for kernel-rollout's `command` driver. */
function simPowerScript() {
    return path.join(__dirname, '..', '..', 'sim', 'power.js');
}
function powerConfig(sim, kind) {
    switch (kind) {
        case 'working':
            return {
                driver: 'command',
                argv: [process.execPath, simPowerScript(), sim.controlPath, '{host}', 'reset'],
                timeoutSeconds: 30,
            };
        case 'failing':
            return {
                driver: 'command',
                argv: ['/bin/sh', '-c', 'echo "ipmitool: BMC of $KERNEL_ROLLOUT_HOST: connection timed out" >&2; exit 1'],
                timeoutSeconds: 30,
            };
        case 'ack-only':
            return { driver: 'command', argv: ['/bin/true'], timeoutSeconds: 30 };
    }
}
/** Gives the host its fault: simulator faults now (the dpkg lock and /boot apply at once), marker files. */
function injectFault(sim, host, fault) {
    sim.setFaults(host, fault.sim);
    if (fault.unhealthy) {
        // The host's /var is <state>/hosts/<name>/var (sim/MODEL.md); the marker survives reboots.
        const marker = path.join(sim.stateDir, 'hosts', host, exports.UNHEALTHY_MARKER.replace(/^\/var\//, 'var/'));
        fs.mkdirSync(path.dirname(marker), { recursive: true });
        fs.writeFileSync(marker, 'the service on this host fails its health check\n');
    }
}
//# sourceMappingURL=faults.js.map