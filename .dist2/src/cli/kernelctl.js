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
exports.workerSlotsFromFlags = exports.upgradeInputFromFlags = exports.formatStatus = exports.EXIT = void 0;
exports.run = run;
exports.refusal = refusal;
exports.main = main;
/**
 * kernelctl: the operators' CLI. Every flag is parsed into the shared zod schemas before any
 * connection is made; a bad value exits 2 naming the flag, and nothing is started. Each command
 * is a file of ./commands (a `Command`, ./commands/command.ts) and a line of COMMANDS.
 */
const client_1 = require("@temporalio/client");
const common_1 = require("./common");
Object.defineProperty(exports, "EXIT", { enumerable: true, get: function () { return common_1.EXIT; } });
const schemas_1 = require("../shared/schemas");
const abort_1 = require("./commands/abort");
const approve_1 = require("./commands/approve");
const dev_1 = require("./commands/dev");
const plan_1 = require("./commands/plan");
const resolve_1 = require("./commands/resolve");
const rollout_1 = require("./commands/rollout");
const status_1 = require("./commands/status");
const upgrade_1 = require("./commands/upgrade");
const watch_1 = require("./commands/watch");
const worker_1 = require("./commands/worker");
const help_1 = require("./help");
var status_2 = require("./commands/status");
Object.defineProperty(exports, "formatStatus", { enumerable: true, get: function () { return status_2.formatStatus; } });
var upgrade_input_1 = require("./commands/upgrade-input");
Object.defineProperty(exports, "upgradeInputFromFlags", { enumerable: true, get: function () { return upgrade_input_1.upgradeInputFromFlags; } });
var worker_2 = require("./commands/worker");
Object.defineProperty(exports, "workerSlotsFromFlags", { enumerable: true, get: function () { return worker_2.workerSlotsFromFlags; } });
const FLAG_FOR_FIELD = {
    address: '--address',
    rolloutId: '<ID>',
    namespace: '--namespace',
    taskQueue: '--task-queue',
    'target.host': '<host>',
    'target.address': '--ssh-address',
    'target.port': '--port',
    'target.user': '--user',
    'target.privateKeyPath': '--identity',
    'target.agentSocket': '--agent',
    'target.knownHostsPath': '--known-hosts',
    'target.hostKeySha256': '--host-key-sha256',
    'target.jumpHosts': '--jump',
    toRelease: '--to',
    'source.packageName': '--package',
    'source.localPath': '--deb',
    panicSeconds: '--panic',
    revertAfterSeconds: '--revert-after',
    stabilitySeconds: '--stability',
    'timeouts.bootDeadlineSeconds': '--boot-deadline',
    'power.socketPath': '--qmp-socket',
    'power.argv': '--power-command',
    'power.credentialsEnv': '--power-credentials-env',
    rehearseInVm: '--rehearse-in-vm',
    '--artifact-host': '--artifact-host',
    // kernelctl build
    buildHost: '--build-host',
    'source.version': '--source',
    'source.path': '--source',
    config: '--config',
    fragments: '--fragment',
    localVersion: '--localversion',
    jobs: '--jobs',
    buildRoot: '--build-root',
};
/** Re-labels `field: message` lines with the CLI flag that set the field. */
function labelFields(message) {
    return message
        .split('\n')
        .map((line) => {
        const at = line.indexOf(': ');
        // The longest known prefix names the flag: target.jumpHosts.0.host → --jump.
        const parts = line.slice(0, at).split('.');
        let field = parts.join('.');
        for (let n = parts.length; n > 0; n--) {
            const prefix = parts.slice(0, n).join('.');
            if (FLAG_FOR_FIELD[prefix]) {
                field = prefix;
                break;
            }
        }
        const flag = FLAG_FOR_FIELD[field] ??
            (field.startsWith('trialKernelArgs')
                ? '--trial-arg'
                : field.startsWith('healthChecks')
                    ? '--health-*'
                    : undefined);
        return flag ? `${flag} (${line.slice(0, at)}): ${line.slice(at + 2)}` : line;
    })
        .join('\n');
}
const COMMANDS = { upgrade: upgrade_1.upgrade, plan: plan_1.plan, status: status_1.status, watch: watch_1.watch, approve: approve_1.approve, abort: abort_1.abort, resolve: resolve_1.resolve, worker: worker_1.worker, dev: dev_1.dev };
async function run(argv) {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
        process.stdout.write(`${help_1.HELP['main']}\n`);
        return command ? common_1.EXIT.ok : common_1.EXIT.usage;
    }
    if (command === 'rollout')
        return (0, rollout_1.runRollout)(rest);
    if (command === 'build')
        return (await Promise.resolve().then(() => __importStar(require('./build')))).runBuildCommand(rest);
    const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!spec)
        throw new common_1.UsageError(`unknown command ${JSON.stringify(command)}; see kernelctl --help`);
    const { values, positionals } = (0, common_1.parse)(rest, spec.options);
    const v = values;
    if (v['help']) {
        process.stdout.write(`${help_1.HELP[command] ?? help_1.HELP['main']}\n`);
        return common_1.EXIT.ok;
    }
    // Checked before any connection: a bad value never reaches Temporal.
    const clientOpts = (0, common_1.clientOptionsFromFlags)(v);
    const host = positionals[0];
    const needsHost = spec.needsHost(v);
    if (needsHost && positionals.length !== 1)
        throw new common_1.UsageError(`${command}: give exactly one <host>`);
    if (needsHost && command !== 'upgrade' && command !== 'plan')
        (0, schemas_1.parseOrThrow)(schemas_1.hostSchema, host, '<host>');
    if (v['rollout'] !== undefined)
        (0, schemas_1.parseOrThrow)(schemas_1.rolloutIdSchema, v['rollout'], '--rollout');
    const optionalText = (flag) => v[flag] === undefined ? undefined : (0, schemas_1.parseOrThrow)(schemas_1.operatorTextSchema, v[flag], `--${flag}`);
    return spec.run({
        v,
        host: host,
        json: v['json'] === true,
        clientOpts,
        by: (0, schemas_1.parseOrThrow)(schemas_1.actorSchema, v['by'] ?? (0, common_1.whoami)(), '--by'),
        comment: optionalText('comment'),
        reason: optionalText('reason'),
    });
}
/**
 * The first line of a bad-input refusal, worded for the command: `status` and `watch` only read,
 * so "nothing was started" would suggest they might have started something.
 */
function refusal(argv) {
    const [command = '', sub] = argv;
    const name = (command === 'rollout' || command === 'build') && sub !== undefined && /^[a-z]+$/.test(sub)
        ? `${command} ${sub}`
        : command;
    const readOnly = ['status', 'watch', 'rollout status', 'rollout watch', 'build status', 'build watch'].includes(name);
    const known = /^[a-z]+( [a-z]+)?$/.test(name) ? `kernelctl ${name}` : 'kernelctl';
    return `${known}: invalid input, ${readOnly ? 'nothing was looked up' : 'nothing was started'}`;
}
async function main(argv = process.argv.slice(2)) {
    let code;
    try {
        code = await run(argv);
    }
    catch (err) {
        if (err instanceof common_1.UsageError) {
            process.stderr.write(`kernelctl: ${err.message}\n`);
            code = common_1.EXIT.usage;
        }
        else if (err instanceof schemas_1.InvalidInputError) {
            process.stderr.write(`${refusal(argv)}:\n${labelFields(err.message).replace(/^/gm, '  ')}\n`);
            code = common_1.EXIT.usage;
        }
        else if (err instanceof client_1.WorkflowNotFoundError && /already completed/.test(err.message)) {
            process.stderr.write(`kernelctl: it has already ended; nothing to do (${err.message})\n`);
            code = common_1.EXIT.error;
        }
        else if (err instanceof client_1.WorkflowNotFoundError) {
            process.stderr.write(`kernelctl: no such upgrade or rollout (${err.message})\n`);
            code = common_1.EXIT.notFound;
        }
        else {
            const e = err;
            const detail = e.cause?.message && !e.message.includes(e.cause.message) ? `: ${e.cause.message}` : '';
            process.stderr.write(`kernelctl: ${e.message}${detail}\n`);
            code = e.exitCode ?? common_1.EXIT.error;
        }
    }
    process.exitCode = code;
}
//# sourceMappingURL=kernelctl.js.map