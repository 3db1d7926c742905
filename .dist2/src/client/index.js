"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startBuild = exports.buildWorkflowId = exports.buildState = exports.buildResult = exports.buildIdOf = exports.parseRolloutRequest = exports.startRollout = exports.RolloutControl = exports.InvalidInputError = exports.WorkflowNotFoundError = exports.HostUpgradeClient = void 0;
exports.clientOptionsFromEnv = clientOptionsFromEnv;
exports.describeTransport = describeTransport;
/**
 * The typed client for kernel-rollout, for kernelctl and for other services: start an upgrade,
 * read its status, approve, abort, resolve. Every input is parsed with the shared zod schemas
 * before anything reaches Temporal, so a bad value is refused with the field's name.
 *
 * This module is the package's entry point `kernel-rollout/client` (package.json `exports`; with
 * the fleet's RolloutControl and the build client re-exported below). It loads the Temporal
 * client, zod and src/shared only: no workflow code, no activity, no ssh2, no worker
 * (test/unit/client-entry.test.ts counts the modules).
 */
const client_1 = require("@temporalio/client");
Object.defineProperty(exports, "WorkflowNotFoundError", { enumerable: true, get: function () { return client_1.WorkflowNotFoundError; } });
const envconfig_1 = require("@temporalio/envconfig");
const definitions_1 = require("../workflows/definitions");
const schemas_1 = require("../shared/schemas");
const install_source_1 = require("../shared/options/install-source");
/**
 * The connection the way the `temporal` CLI finds it (@temporalio/envconfig): the profile from
 * the TOML config file, then the TEMPORAL_* variables over it (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, …), then kernelctl's own flags over both.
 * A profile that works for `temporal` works here. Throws InvalidInputError naming the flag (or
 * variable) when the file or a file it names cannot be read.
 */
function clientOptionsFromEnv(flags = {}, env = process.env) {
    let loaded;
    try {
        loaded = (0, envconfig_1.loadClientConnectConfig)({
            ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
            ...(flags.configFile !== undefined ? { configSource: { path: flags.configFile } } : {}),
            overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e) => e[1] !== undefined)),
        });
    }
    catch (err) {
        const where = flags.configFile !== undefined
            ? '--config-file'
            : flags.profile !== undefined
                ? '--profile'
                : 'the Temporal profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, TEMPORAL_TLS_*)';
        throw new schemas_1.InvalidInputError(`${where}: ${err.message}`);
    }
    const c = loaded.connectionOptions;
    const transport = {
        ...(c.tls !== undefined && c.tls !== null ? { tls: c.tls } : {}),
        ...(c.apiKey !== undefined && typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
        ...(c.metadata !== undefined ? { metadata: c.metadata } : {}),
    };
    return {
        address: flags.address ?? c.address ?? '127.0.0.1:7233',
        namespace: flags.namespace ?? loaded.namespace ?? 'default',
        taskQueue: flags.taskQueue ?? env['KERNEL_ROLLOUT_TASK_QUEUE'] ?? definitions_1.TASK_QUEUE_DEFAULT,
        transport,
    };
}
/** For messages: how the connection is secured, without a byte of its secrets. */
function describeTransport(t) {
    const parts = [];
    if (t?.tls === false || t?.tls === undefined)
        parts.push('plaintext');
    else if (t.tls === true)
        parts.push('TLS');
    else
        parts.push(t.tls.clientCertPair ? 'mutual TLS' : 'TLS');
    if (t?.apiKey !== undefined)
        parts.push('API key');
    return parts.join(' + ');
}
/** One host's upgrade (`upgradeHostKernel`); fleets are src/client/rollout.ts's RolloutControl. */
class HostUpgradeClient {
    client;
    connection;
    options;
    constructor(client, connection, options) {
        this.client = client;
        this.connection = connection;
        this.options = options;
    }
    static async connect(options) {
        const connection = await client_1.Connection.connect({
            address: options.address,
            connectTimeout: 5000,
            ...(options.transport ?? {}),
        });
        return new HostUpgradeClient(new client_1.Client({ connection, namespace: options.namespace }), connection, options);
    }
    async close() {
        await this.connection.close();
    }
    /** Validates the input (throws InvalidInputError naming each bad field) and starts the run. */
    async startUpgrade(rawInput) {
        const input = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, rawInput);
        return this.client.workflow.start('upgradeHostKernel', {
            taskQueue: this.options.taskQueue,
            workflowId: (0, definitions_1.upgradeWorkflowId)(input.target.host),
            args: [input],
            staticSummary: `Kernel upgrade of ${input.target.host} to ${input.toRelease}`,
            staticDetails: [
                `source: ${(0, install_source_1.describeInstallSource)(input.source)}`,
                `trial: ${input.useKexec ? 'kexec' : 'GRUB one-shot'}, panic=${input.panicSeconds}, revert timer ${input.revertAfterSeconds}s`,
                `approval before reboot: ${input.approveBeforeReboot ? 'yes' : 'no'}; power driver: ${input.power.driver}`,
            ]
                .map((line) => `- ${line}`)
                .join('\n'), // a Markdown list: the web UI renders details as Markdown
        });
    }
    /** Preflight only, run by a worker (it has the SSH credentials): what would happen. */
    async plan(rawInput) {
        const input = (0, schemas_1.parseOrThrow)(schemas_1.preflightInputSchema, rawInput);
        return this.client.workflow.execute('planHostKernel', {
            taskQueue: this.options.taskQueue,
            workflowId: `kernel-plan/${input.target.host}/${Date.now()}`,
            args: [input],
            staticSummary: `Preflight of ${input.target.host} for ${input.toRelease}`,
        });
    }
    handle(host) {
        return this.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)((0, schemas_1.parseOrThrow)(schemas_1.hostSchema, host, 'host')));
    }
    async status(host) {
        return this.handle(host).query(definitions_1.statusQuery);
    }
    async result(host) {
        return this.handle(host).result();
    }
    async approve(host, args) {
        return this.handle(host).executeUpdate(definitions_1.approveUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.approveArgsSchema, args)] });
    }
    async abort(host, args) {
        return this.handle(host).executeUpdate(definitions_1.abortUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.abortArgsSchema, args)] });
    }
    async resolve(host, args) {
        return this.handle(host).executeUpdate(definitions_1.resolveUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.resolveArgsSchema, args)] });
    }
}
exports.HostUpgradeClient = HostUpgradeClient;
var schemas_2 = require("../shared/schemas");
Object.defineProperty(exports, "InvalidInputError", { enumerable: true, get: function () { return schemas_2.InvalidInputError; } });
var rollout_1 = require("./rollout");
Object.defineProperty(exports, "RolloutControl", { enumerable: true, get: function () { return rollout_1.RolloutControl; } });
Object.defineProperty(exports, "startRollout", { enumerable: true, get: function () { return rollout_1.startRollout; } });
Object.defineProperty(exports, "parseRolloutRequest", { enumerable: true, get: function () { return rollout_1.parseRolloutRequest; } });
var build_1 = require("./build");
Object.defineProperty(exports, "buildIdOf", { enumerable: true, get: function () { return build_1.buildIdOf; } });
Object.defineProperty(exports, "buildResult", { enumerable: true, get: function () { return build_1.buildResult; } });
Object.defineProperty(exports, "buildState", { enumerable: true, get: function () { return build_1.buildState; } });
Object.defineProperty(exports, "buildWorkflowId", { enumerable: true, get: function () { return build_1.buildWorkflowId; } });
Object.defineProperty(exports, "startBuild", { enumerable: true, get: function () { return build_1.startBuild; } });
//# sourceMappingURL=index.js.map