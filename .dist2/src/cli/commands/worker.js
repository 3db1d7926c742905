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
exports.worker = void 0;
exports.workerSlotsFromFlags = workerSlotsFromFlags;
/** `kernelctl worker`: a worker (workflows + activities) for the task queue. */
const path = __importStar(require("node:path"));
const common_1 = require("../common");
const rehearsal_types_1 = require("../../shared/rehearsal-types");
const shell_1 = require("../../shared/shell");
const schemas_1 = require("../../shared/schemas");
async function workerCommand({ v, clientOpts }) {
    const { runWorker, mallocArenaNotice } = await Promise.resolve().then(() => __importStar(require('../../worker')));
    const rehearsal = await rehearsalConfigFromFlags(v);
    // A rehearsal worker serves the rehearsal queue unless told otherwise.
    const explicitQueue = v['task-queue'] !== undefined || process.env['KERNEL_ROLLOUT_TASK_QUEUE'] !== undefined;
    const opts = rehearsal && !explicitQueue ? { ...clientOpts, taskQueue: rehearsal_types_1.REHEARSAL_TASK_QUEUE } : clientOpts;
    const slots = workerSlotsFromFlags(v);
    const metricsAddress = v['metrics-address'];
    if (metricsAddress !== undefined) {
        const { checkMetricsAddress, installMetricsRuntime } = await Promise.resolve().then(() => __importStar(require('../../worker/metrics')));
        const bad = checkMetricsAddress(metricsAddress);
        if (bad)
            throw new schemas_1.InvalidInputError(`--metrics-address: ${bad}`);
        installMetricsRuntime(metricsAddress);
    }
    process.stderr.write(`worker on ${opts.address}, namespace ${opts.namespace}, task queue ${opts.taskQueue}` +
        `${rehearsal ? `, VM rehearsals from ${rehearsal.imageDir} (state in ${rehearsal.stateDir})` : ''}` +
        `${metricsAddress ? `, Prometheus metrics on http://${metricsAddress}/metrics` : ''}\n`);
    const arenas = mallocArenaNotice(process.env);
    if (arenas)
        process.stderr.write(arenas);
    await runWorker(opts, {
        ...(rehearsal ? { rehearsal } : {}),
        metrics: metricsAddress !== undefined,
        slots,
    });
    return common_1.EXIT.ok;
}
/** `--max-concurrent-activities N`, `--max-concurrent-workflow-tasks N`, `--max-cached-workflows N`: up to 10000 each. */
function workerSlotsFromFlags(v) {
    const slots = {};
    for (const [flag, key] of [
        ['max-concurrent-activities', 'maxConcurrentActivityTaskExecutions'],
        ['max-concurrent-workflow-tasks', 'maxConcurrentWorkflowTaskExecutions'],
        ['max-cached-workflows', 'maxCachedWorkflows'],
    ]) {
        const n = (0, common_1.int)(`--${flag}`, v[flag]);
        if (n === undefined)
            continue;
        // The SDK would raise a workflow-task limit or a cache below 2 to 2 (its sticky and normal
        // queues; a cache of 1 cannot hold a run and its child): refused here instead.
        const min = key === 'maxConcurrentActivityTaskExecutions' ? 1 : 2;
        if (n < min || n > 10000)
            throw new schemas_1.InvalidInputError(`--${flag}: must be from ${min} to 10000`);
        slots[key] = n;
    }
    return slots;
}
/** `--rehearsal-image DIR` and its companions; undefined without it. */
async function rehearsalConfigFromFlags(v) {
    const image = v['rehearsal-image'];
    const companions = ['rehearsal-dir', 'rehearsal-memory', 'rehearsal-cpus', 'rehearsal-boot-timeout'];
    if (image === undefined) {
        const stray = companions.find((f) => v[f] !== undefined);
        if (stray)
            throw new schemas_1.InvalidInputError(`--${stray}: only with --rehearsal-image DIR`);
        return undefined;
    }
    const dir = path.resolve(v['rehearsal-dir'] ?? rehearsal_types_1.REHEARSAL_STATE_DIR_DEFAULT);
    // <dir>/<rehearsal id, up to 40>/qmp.sock must fit a Unix socket path (107 bytes).
    if (!shell_1.SAFE_ABSOLUTE_PATH_RE.test(dir) || dir.length > 55) {
        throw new schemas_1.InvalidInputError(`--rehearsal-dir: ${JSON.stringify(dir)} must be a plain absolute path of at most 55 characters (it holds a QMP socket)`);
    }
    const bounded = (flag, min, max, dflt) => {
        const n = (0, common_1.int)(`--${flag}`, v[flag]) ?? dflt;
        if (n < min || n > max)
            throw new schemas_1.InvalidInputError(`--${flag}: must be from ${min} to ${max}`);
        return n;
    };
    const { loadRehearsalImage } = await Promise.resolve().then(() => __importStar(require('../../activities/rehearsal')));
    try {
        loadRehearsalImage(image);
    }
    catch (err) {
        throw new schemas_1.InvalidInputError(err.message);
    }
    return {
        imageDir: path.resolve(image),
        stateDir: dir,
        memoryMiB: bounded('rehearsal-memory', 1024, 65536, 1536),
        cpus: bounded('rehearsal-cpus', 1, 64, 1),
        bootTimeoutSeconds: bounded('rehearsal-boot-timeout', 60, 7200, 900),
    };
}
exports.worker = {
    options: {
        'metrics-address': { type: 'string' },
        'max-concurrent-activities': { type: 'string' },
        'max-cached-workflows': { type: 'string' },
        'max-concurrent-workflow-tasks': { type: 'string' },
        'rehearsal-image': { type: 'string' },
        'rehearsal-dir': { type: 'string' },
        'rehearsal-memory': { type: 'string' },
        'rehearsal-cpus': { type: 'string' },
        'rehearsal-boot-timeout': { type: 'string' },
    },
    needsHost: () => false,
    run: workerCommand,
};
//# sourceMappingURL=worker.js.map