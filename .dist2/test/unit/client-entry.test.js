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
 * The light client entry point, `kernel-rollout/client` (package.json `exports`): a fresh node
 * process requires it by that name (the package's self-reference, so the exports map is what
 * resolves it) and lists every module it loaded. None is ssh2, an activity, the worker or
 * Temporal's worker SDK: a service that only starts and steers upgrades does not load the code
 * that talks SSH to hosts. The count is printed (it is the Temporal client, zod and src/shared).
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const root = path.join(__dirname, '..', '..', '..');
/** Runs `script` in a child node in the repository's root; its last line of stdout as JSON. */
function inChild(script) {
    const out = (0, node_child_process_1.execFileSync)(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop() ?? 'null');
}
const LOAD = `
const entry = require('kernel-rollout/client');
console.log(JSON.stringify({
  resolved: require.resolve('kernel-rollout/client'),
  exports: Object.keys(entry).sort(),
  modules: Object.keys(require.cache),
}));`;
(0, node_test_1.test)('kernel-rollout/client loads no ssh2, no activity, no worker', (t) => {
    const { resolved, exports, modules } = inChild(LOAD);
    strict_1.default.equal(resolved, path.join(root, 'dist', 'src', 'client', 'index.js'));
    for (const name of ['HostUpgradeClient', 'RolloutControl', 'startRollout', 'startBuild', 'InvalidInputError']) {
        strict_1.default.ok(exports.includes(name), `the entry exports ${name} (it exports ${exports.join(', ')})`);
    }
    const rel = modules.map((m) => path.relative(root, m).split(path.sep).join('/'));
    const forbidden = rel.filter((m) => /^(node_modules\/ssh2\/|dist\/src\/activities\/|dist\/src\/worker\/|node_modules\/@temporalio\/worker\/)/.test(m));
    strict_1.default.deepEqual(forbidden, [], `requiring kernel-rollout/client loaded ${forbidden.length} of them`);
    const ours = rel.filter((m) => m.startsWith('dist/'));
    t.diagnostic(`kernel-rollout/client: ${modules.length} modules loaded, ${ours.length} of them this project's`);
});
(0, node_test_1.test)("the entry's types are the client's source; the compiled paths still resolve by their old names", () => {
    const pkg = JSON.parse((0, node_fs_1.readFileSync)(path.join(root, 'package.json'), 'utf8'));
    const client = pkg.exports['./client'];
    strict_1.default.ok(typeof client === 'object' && (0, node_fs_1.existsSync)(path.join(root, client.types)), 'types file exists');
    const resolved = inChild(`console.log(JSON.stringify(['kernel-rollout/dist/src/client/rollout', 'kernel-rollout/dist/src/client/rollout.js', 'kernel-rollout/package.json'].map((m) => require.resolve(m))));`);
    strict_1.default.deepEqual(resolved, [
        path.join(root, 'dist', 'src', 'client', 'rollout.js'),
        path.join(root, 'dist', 'src', 'client', 'rollout.js'),
        path.join(root, 'package.json'),
    ]);
});
//# sourceMappingURL=client-entry.test.js.map