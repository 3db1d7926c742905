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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Every launcher of the worker bounds glibc's malloc arenas (src/worker/index.ts says why): the
 * image's environment, and deploy/single-machine/run-worker.sh run for real with a stand-in for
 * node that prints what it was given. `kernelctl worker` says so when its launcher did not.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const worker_1 = require("../../src/worker");
const ROOT = (0, temporal_server_1.projectRoot)();
/** run-worker.sh with `env` on top of a clean environment; returns the stand-in node's output. */
function runWorkerScript(env) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-launcher-'));
    try {
        const node = path.join(dir, 'node');
        fs.writeFileSync(node, '#!/bin/sh\necho "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} args=$*"\n', { mode: 0o755 });
        const profile = path.join(dir, 'temporal.toml');
        fs.writeFileSync(profile, '');
        const settings = path.join(dir, 'kernel-rollout.env');
        fs.writeFileSync(settings, env['SETTINGS'] ?? '');
        const { SETTINGS: _settings, ...rest } = env;
        return (0, node_child_process_1.execFileSync)('/bin/sh', [path.join(ROOT, 'deploy/single-machine/run-worker.sh')], {
            env: {
                PATH: process.env['PATH'],
                NODE: node,
                TEMPORAL_CONFIG_FILE: profile,
                KERNEL_ROLLOUT_ENV: settings,
                ...rest,
            },
            encoding: 'utf8',
        });
    }
    finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
(0, node_test_1.describe)('the worker launchers bound malloc arenas', () => {
    (0, node_test_1.test)('run-worker.sh exports the default, and the environment or settings file may change it', () => {
        strict_1.default.match(runWorkerScript({}), new RegExp(`^MALLOC_ARENA_MAX=${worker_1.MALLOC_ARENA_MAX_FOR_WORKERS} args=.*bin/kernelctl.js worker`));
        strict_1.default.match(runWorkerScript({ MALLOC_ARENA_MAX: '4' }), /^MALLOC_ARENA_MAX=4 /);
        strict_1.default.match(runWorkerScript({ SETTINGS: 'MALLOC_ARENA_MAX=3\n' }), /^MALLOC_ARENA_MAX=3 /);
    });
    (0, node_test_1.test)('the image sets it in its final stage', () => {
        const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
        const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
        strict_1.default.match(finalStage, new RegExp(`^ENV MALLOC_ARENA_MAX=${worker_1.MALLOC_ARENA_MAX_FOR_WORKERS}$`, 'm'));
    });
    (0, node_test_1.test)('kernelctl worker names the variable when it is unset, and says nothing when set', () => {
        strict_1.default.match((0, worker_1.mallocArenaNotice)({}) ?? '', /MALLOC_ARENA_MAX is not set.*MALLOC_ARENA_MAX=2/s);
        strict_1.default.equal((0, worker_1.mallocArenaNotice)({ MALLOC_ARENA_MAX: '8' }), undefined);
    });
});
(0, node_test_1.describe)('the worker’s V8 heap tuning (tuneHeapForWorkers)', () => {
    /**
     * A fresh node process: a worker thread's heap limit before and after the tuning (its young
     * generation's maximum is part of it), and the flags the call set.
     */
    function threadHeapLimits(nodeArgs) {
        const worker = require.resolve('../../src/worker');
        const script = `
      const { Worker } = require('node:worker_threads');
      const limit = () => new Promise((resolve) => {
        const w = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)", { eval: true });
        w.once('message', (m) => { resolve(m); w.terminate(); });
      });
      (async () => {
        const before = await limit();
        const set = require(${JSON.stringify(worker)}).tuneHeapForWorkers();
        const after = await limit();
        console.log(JSON.stringify({ before, after, set }));
      })();`;
        return JSON.parse((0, node_child_process_1.execFileSync)(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8' }));
    }
    (0, node_test_1.test)('sets both flags; a workflow thread started after has the smaller young generation', () => {
        const r = threadHeapLimits([]);
        strict_1.default.deepEqual(r.set, [...worker_1.WORKER_V8_FLAGS]);
        strict_1.default.ok(r.after < r.before, `thread heap limit ${r.after} < ${r.before}`);
    });
    (0, node_test_1.test)('a flag the process was started with stays the operator’s', () => {
        const r = threadHeapLimits(['--heap-growing-percent=50', '--max-semi-space-size=16']);
        strict_1.default.deepEqual(r.set, []);
        strict_1.default.equal(r.after, r.before);
    });
});
//# sourceMappingURL=worker-launchers.test.js.map