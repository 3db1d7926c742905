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
exports.WORKER_V8_FLAGS = exports.MALLOC_ARENA_MAX_FOR_WORKERS = void 0;
exports.ensureSearchAttributes = ensureSearchAttributes;
exports.mallocArenaNotice = mallocArenaNotice;
exports.tuneHeapForWorkers = tuneHeapForWorkers;
exports.createWorker = createWorker;
exports.runWorker = runWorker;
/**
 * The worker: one process that runs the workflows (deterministic, sandboxed) and the activities
 * (SSH to hosts, power drivers). Connection, task queue and activities, nothing else — plus, at
 * startup, the custom search attributes the workflows upsert: a namespace that lacks one fails
 * every workflow task that upserts it, so the worker adds the missing ones before it polls.
 * A dev server whose SQLite file predates them then needs no manual `temporal operator
 * search-attribute create`. On the production server adding them is an admin's right the
 * worker's certificate lacks (deploy/temporal/config/roles.yaml): deploy/temporal/create-namespace.sh
 * creates them, and a worker that finds one missing stops, saying so.
 */
const os = __importStar(require("node:os"));
const v8 = __importStar(require("node:v8"));
const worker_1 = require("@temporalio/worker");
// The SDK's own name → proto enum mapping (its tests register search attributes with it); it
// keeps @temporalio/proto, a dev dependency here, out of the worker's imports.
const search_attributes_1 = require("@temporalio/common/lib/search-attributes");
const activities_1 = require("../activities");
const build_1 = require("../activities/build");
const keep_alive_1 = require("../activities/keep-alive");
const rehearsal_1 = require("../activities/rehearsal");
const tls_diagnosis_1 = require("../client/tls-diagnosis");
const grpc_status_1 = require("../shared/grpc-status");
const metrics_1 = require("./metrics");
const bundle_1 = require("./bundle");
const rehearsal_types_1 = require("../shared/rehearsal-types");
const search_attributes_2 = require("../workflows/search-attributes");
/**
 * Lists the namespace's custom search attributes and adds the missing ones. Refuses, naming it,
 * an attribute that exists with another type (the workflows' upserts would fail on it).
 */
async function ensureSearchAttributes(connection, namespace, log = (m) => worker_1.Runtime.instance().logger.info(m)) {
    let listed;
    try {
        listed = await connection.operatorService.listSearchAttributes({ namespace });
    }
    catch (err) {
        // Temporal Cloud has no operator service: attributes are created there in its UI or tcld.
        log(`search attributes: could not list them in namespace ${namespace} (${err.message}); ` +
            `make sure ${search_attributes_2.KERNEL_ROLLOUT_SEARCH_ATTRIBUTES.map((k) => `${k.name} (${k.type})`).join(', ')} exist, ` +
            'or workflow tasks that upsert them fail');
        return { namespace, present: [], added: [] };
    }
    const existing = { ...(listed.customAttributes ?? {}), ...(listed.systemAttributes ?? {}) };
    const present = [];
    const missing = {};
    for (const key of search_attributes_2.KERNEL_ROLLOUT_SEARCH_ATTRIBUTES) {
        const wanted = (0, search_attributes_1.encodeSearchAttributeIndexedValueType)(key.type);
        const found = existing[key.name];
        if (found === undefined)
            missing[key.name] = wanted;
        else if (found !== wanted) {
            throw new Error(`search attribute ${key.name} exists in namespace ${namespace} with another type (${found}, wanted ${key.type}); ` +
                `kernel-rollout upserts it as ${key.type}: remove it (temporal operator search-attribute remove --name ${key.name}) and restart the worker`);
        }
        else
            present.push(key.name);
    }
    const added = Object.keys(missing);
    if (added.length > 0) {
        try {
            await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
        }
        catch (err) {
            // A least-privilege worker (a namespace writer) may not add them: an admin creates them once.
            const denied = (0, grpc_status_1.permissionDenied)(err)
                ? "permission denied: this worker's identity may not add search attributes; an admin creates them once " +
                    '(deploy/temporal/create-namespace.sh does: deploy/single-machine/namespace.sh, compose), '
                : '';
            throw new Error(`search attributes: could not add ${added.join(', ')} to namespace ${namespace} (${err.message}); ` +
                `${denied}create them (${added
                    .map((n) => `temporal operator search-attribute create --namespace ${namespace} --name ${n} --type ${(0, search_attributes_2.searchAttributesForCli)()[n]}`)
                    .join('; ')}) and restart the worker`);
        }
        log(`search attributes: added ${added.join(', ')} to namespace ${namespace}`);
    }
    else {
        log(`search attributes: ${present.join(', ')} already in namespace ${namespace}`);
    }
    return { namespace, present, added };
}
/**
 * glibc's malloc arenas for a worker: its threads (the SDK's Rust core, the workflow thread,
 * libuv's pool) would otherwise each take an arena of their own, up to 8 a core, and keep what
 * they freed. Two keep the resident set near what is in use (bench/README.md: about 80 MiB
 * less at 100 hosts). glibc reads it at process start only, so the launchers set it: the
 * Dockerfile, deploy/single-machine/run-worker.sh, the benches' worker.
 */
exports.MALLOC_ARENA_MAX_FOR_WORKERS = '2';
/** A line for the worker's stderr when its launcher left glibc's arenas unbounded; undefined when set. */
function mallocArenaNotice(env) {
    if (env['MALLOC_ARENA_MAX'] !== undefined)
        return undefined;
    return (`worker: MALLOC_ARENA_MAX is not set: glibc may keep up to 8 malloc arenas a core and the resident ` +
        `memory grows with them; start the worker with MALLOC_ARENA_MAX=${exports.MALLOC_ARENA_MAX_FOR_WORKERS} ` +
        `(as the Dockerfile and deploy/single-machine/run-worker.sh do)\n`);
}
/**
 * V8's garbage collection tuned for a worker's resident memory: the old generation may grow to
 * 1.2 times what the last full collection kept (V8 lets it grow up to 4 times on a machine with
 * memory to spare: at 1,000 hosts in flight the main heap held ~60 MiB alive in ~160 MiB), and the
 * workflow thread's young generation is at most 2 × 4 MiB (32 MiB by default). Measured at 1,000
 * hosts in batches of 100 with 20 s boots (bench/README.md): peak RSS 484 → 337 MiB, the worker's
 * CPU ~10 % more.
 */
exports.WORKER_V8_FLAGS = ['--heap-growing-percent=20', '--max-semi-space-size=4'];
/**
 * Sets WORKER_V8_FLAGS, before the workflow thread starts (its heap is made with them; the main
 * thread's growing factor applies from the next collection on). A flag the process was started
 * with (`node --heap-growing-percent=50 …`) is the operator's choice and stays. Returns the flags set.
 */
function tuneHeapForWorkers(execArgv = process.execArgv) {
    const given = (flag) => execArgv.some((a) => a.split('=')[0] === flag.split('=')[0]);
    const set = exports.WORKER_V8_FLAGS.filter((flag) => !given(flag));
    for (const flag of set)
        v8.setFlagsFromString(flag);
    return set;
}
/** The worker's connection; one that fails names its cause as kernelctl's commands do (exit 7). */
async function connectWorker(options) {
    try {
        return await worker_1.NativeConnection.connect({ address: options.address, ...(options.transport ?? {}) });
    }
    catch (err) {
        throw await (0, tls_diagnosis_1.unreachableError)(options.address, options.transport, err, '(a server that wants TLS, a client certificate or an API key gets them from the Temporal profile: ' +
            '--profile, --config-file, TEMPORAL_TLS_*, TEMPORAL_API_KEY)');
    }
}
async function createWorker(options, extras = {}) {
    // The image is checked before anything connects: a worker with an unusable image never polls.
    if (extras.rehearsal)
        (0, rehearsal_1.loadRehearsalImage)(extras.rehearsal.imageDir);
    const connection = await connectWorker(options);
    try {
        await ensureSearchAttributes(connection, options.namespace);
    }
    catch (err) {
        await connection.close();
        throw err;
    }
    const vmQueue = extras.rehearsal ? (0, rehearsal_types_1.rehearsalQueueOf)(os.hostname()) : undefined;
    const activities = (0, keep_alive_1.keepAlive)({
        ...(0, activities_1.createActivities)(),
        ...(0, build_1.createBuildActivities)(),
        ...(extras.rehearsal && vmQueue ? (0, rehearsal_1.createRehearsalActivities)(extras.rehearsal, vmQueue) : {}),
    });
    // One bundle, built apart (bundle.ts), for both task queues.
    const workflowBundle = { code: await (0, bundle_1.bundleWorkflowsApart)(require.resolve('../workflows')) };
    tuneHeapForWorkers();
    const create = (taskQueue) => worker_1.Worker.create({
        connection,
        namespace: options.namespace,
        taskQueue,
        workflowBundle,
        activities,
        ...extras.slots,
    });
    const worker = await create(options.taskQueue);
    return { worker, connection, ...(vmQueue ? { vmWorker: await create(vmQueue) } : {}) };
}
/** Runs until SIGINT/SIGTERM (the SDK's default shutdown signals), then drains and exits. */
async function runWorker(options, extras = {}) {
    const { worker, vmWorker, connection } = await createWorker(options, extras);
    const stopGauges = extras.metrics ? await (0, metrics_1.startVisibilityGauges)(options) : undefined;
    try {
        await Promise.all([worker.run(), vmWorker?.run()]);
    }
    finally {
        await stopGauges?.();
        await connection.close();
    }
}
//# sourceMappingURL=index.js.map