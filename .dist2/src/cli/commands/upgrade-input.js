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
exports.UPGRADE_OPTIONS = exports.TARGET_OPTIONS = void 0;
exports.buildTarget = buildTarget;
exports.buildSource = buildSource;
exports.upgradeInputFromFlags = upgradeInputFromFlags;
exports.builtFor = builtFor;
/** The flags of `upgrade` (and `plan`, `rollout`) → the workflow input they describe. */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const build_1 = require("../../client/build");
const artifact_1 = require("../artifact");
const common_1 = require("../common");
const sha256_file_1 = require("../../node/sha256-file");
const deb_archive_1 = require("../../node/deb-archive");
const shell_1 = require("../../shared/shell");
const schemas_1 = require("../../shared/schemas");
exports.TARGET_OPTIONS = {
    to: { type: 'string' },
    package: { type: 'string' },
    deb: { type: 'string' },
    kexec: { type: 'boolean' },
    user: { type: 'string' },
    port: { type: 'string' },
    identity: { type: 'string', short: 'i' },
    agent: { type: 'string' },
    'known-hosts': { type: 'string' },
    'host-key-sha256': { type: 'string' },
    'trust-on-first-use': { type: 'boolean' },
    'ssh-address': { type: 'string' },
    jump: { type: 'string', multiple: true },
};
exports.UPGRADE_OPTIONS = {
    ...exports.TARGET_OPTIONS,
    ...artifact_1.ARTIFACT_OPTIONS,
    build: { type: 'string' },
    'rehearse-in-vm': { type: 'boolean' },
    'approve-before-reboot': { type: 'boolean' },
    wait: { type: 'boolean' },
    panic: { type: 'string' },
    'revert-after': { type: 'string' },
    stability: { type: 'string' },
    'boot-deadline': { type: 'string' },
    'trial-arg': { type: 'string', multiple: true },
    'health-cmd': { type: 'string', multiple: true },
    'health-unit': { type: 'string', multiple: true },
    'health-url': { type: 'string', multiple: true },
    power: { type: 'string' },
    'power-command': { type: 'string', multiple: true },
    'power-credentials-env': { type: 'string', multiple: true },
    'qmp-socket': { type: 'string' },
    'remove-failed-kernel': { type: 'boolean' },
};
async function buildTarget(host, v) {
    return {
        host: host ?? '',
        ...(v['ssh-address'] ? { address: v['ssh-address'] } : {}),
        port: (0, common_1.int)('--port', v['port']) ?? 22,
        user: v['user'] ?? 'root',
        ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity']) } : {}),
        ...(v['agent'] ? { agentSocket: path.resolve(v['agent']) } : {}),
        ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts']) } : {}),
        ...(v['host-key-sha256'] ? { hostKeySha256: v['host-key-sha256'] } : {}),
        trustOnFirstUse: v['trust-on-first-use'] === true,
        ...(v['jump'] ? { jumpHosts: v['jump'].map((j) => parseJump(j, v)) } : {}),
    };
}
/** `[user@]host[:port]` → one hop; the hop's key is checked in the same known_hosts file. */
function parseJump(spec, v) {
    const m = /^(?:([^@:]+)@)?([^@:]+)(?::(\d+))?$/.exec(spec);
    if (!m)
        throw new schemas_1.InvalidInputError(`--jump: ${JSON.stringify(spec)} must be [user@]host[:port]`);
    return {
        host: m[2],
        port: m[3] !== undefined ? Number(m[3]) : 22,
        user: m[1] ?? v['user'] ?? 'root',
        ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity']) } : {}),
        ...(v['agent'] ? { agentSocket: path.resolve(v['agent']) } : {}),
        ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts']) } : {}),
    };
}
async function buildSource(release, v) {
    if (v['package'] && v['deb'])
        throw new schemas_1.InvalidInputError('--package and --deb: give one of them, not both');
    if (v['deb']) {
        const file = path.resolve(v['deb']);
        if (!(0, node_fs_1.existsSync)(file))
            throw new schemas_1.InvalidInputError(`--deb: ${file} does not exist`);
        // Before anything starts: the file must be a Debian package that installs the kernel --to names.
        if (shell_1.KERNEL_RELEASE_RE.test(release)) {
            const problem = await (0, deb_archive_1.debKernelProblem)(file, release);
            if (problem)
                throw new schemas_1.InvalidInputError(`--deb: ${problem}`);
        }
        return { kind: 'deb', localPath: file, sha256: await (0, sha256_file_1.sha256File)(file) };
    }
    return { kind: 'apt', packageName: v['package'] ?? `linux-image-${release}` };
}
const HEALTH_FLAGS = [
    ['health-cmd', 'command', 'command'],
    ['health-unit', 'systemd-unit', 'unit'],
    ['health-url', 'http', 'url'],
];
/**
 * --health-cmd, --health-unit, --health-url → checks, each validated on its own so that a bad one
 * is named as given (`--health-unit #1`), not by its place in the workflow input, where the
 * default system-running check comes first.
 */
function healthChecksFromFlags(v) {
    const problems = [];
    const checks = HEALTH_FLAGS.flatMap(([flag, kind, field]) => (v[flag] ?? []).map((value, i) => {
        const check = { kind, [field]: value };
        const parsed = schemas_1.healthCheckSchema.safeParse(check);
        if (!parsed.success) {
            problems.push(...parsed.error.issues.map((x) => `--${flag} #${i + 1} (${JSON.stringify(value)}): ${x.message}`));
        }
        return check;
    }));
    if (problems.length > 0)
        throw new schemas_1.InvalidInputError(problems.join('\n'));
    return checks;
}
/** Flags → raw workflow input (validated by the caller with upgradeHostInputSchema). */
async function upgradeInputFromFlags(host, v, built) {
    if (built && v['to'] !== undefined && v['to'] !== built.release) {
        throw new schemas_1.InvalidInputError(`--to: build ${v['build']} made ${built.release}, not ${v['to']}`);
    }
    const release = built?.release ?? v['to'] ?? '';
    const power = v['power'] === 'command'
        ? {
            driver: 'command',
            argv: v['power-command'] ?? [],
            ...(v['power-credentials-env'] ? { credentialsEnv: v['power-credentials-env'] } : {}),
        }
        : v['power'] === 'qmp'
            ? { driver: 'qmp', socketPath: v['qmp-socket'] ? path.resolve(v['qmp-socket']) : '' }
            : v['power'] === undefined || v['power'] === 'none'
                ? { driver: 'none' }
                : { driver: v['power'] };
    const health = healthChecksFromFlags(v);
    const bootDeadline = (0, common_1.int)('--boot-deadline', v['boot-deadline']);
    return {
        target: await buildTarget(host, v),
        toRelease: release,
        source: built
            ? { kind: 'artifact', host: built.buildTarget, path: built.deb.path, sha256: built.deb.sha256 }
            : await buildSource(release, v),
        useKexec: v['kexec'] === true,
        approveBeforeReboot: v['approve-before-reboot'] === true,
        ...(v['rehearse-in-vm'] === true ? { rehearseInVm: true } : {}),
        ...(v['panic'] !== undefined ? { panicSeconds: (0, common_1.int)('--panic', v['panic']) } : {}),
        ...(v['revert-after'] !== undefined
            ? { revertAfterSeconds: (0, common_1.int)('--revert-after', v['revert-after']) }
            : {}),
        ...(v['stability'] !== undefined ? { stabilitySeconds: (0, common_1.int)('--stability', v['stability']) } : {}),
        ...(v['trial-arg'] ? { trialKernelArgs: v['trial-arg'] } : {}),
        // The checks given add to the default one: the system must have finished booting (a degraded
        // unit is allowed), whatever the operator's own checks look at.
        ...(health.length > 0 ? { healthChecks: [{ kind: 'system-running' }, ...health] } : {}),
        power,
        ...(bootDeadline !== undefined ? { timeouts: { bootDeadlineSeconds: bootDeadline } } : {}),
        removeFailedKernel: v['remove-failed-kernel'] === true,
    };
}
/** `--build ID`: the build's result (its package is what gets installed). */
async function builtFor(v, clientOpts) {
    const id = v['build'];
    if (id === undefined)
        return undefined;
    if (!build_1.BUILD_ID_RE.test(id))
        throw new schemas_1.InvalidInputError(`--build: ${JSON.stringify(id)} must be a build id (16 hex digits)`);
    if (v['package'] || v['deb'])
        throw new schemas_1.InvalidInputError('--build: give one of --build, --package, --deb');
    return (0, common_1.withClient)(clientOpts, async (c) => {
        try {
            return await (0, build_1.buildResult)(c.client, id);
        }
        catch (err) {
            throw new schemas_1.InvalidInputError(`--build: build ${id} has no package (${err.message})`);
        }
    });
}
//# sourceMappingURL=upgrade-input.js.map