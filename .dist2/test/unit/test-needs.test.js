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
exports.neededBy = neededBy;
/**
 * `npm run test:unit` needs nothing but node and the npm packages: every test file under `src`
 * and `test/unit` that starts a real sshd (testbed/sshd.ts, testbed/tool-host.ts), the fleet
 * simulator (bubblewrap) or qemu says so in its name (`x.ssh.test.ts`, `x.sim.test.ts`,
 * `x.qemu.test.ts`; scripts/run-tests.ts), so that `--needs-nothing` leaves it out and `npm test`
 * runs it. A Temporal server is for test/workflow and the suites after it, never these folders.
 * Read from the sources, so a new test that starts an sshd under a plain name fails here.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const run_tests_1 = require("../../scripts/run-tests");
const root = path.join(__dirname, '..', '..', '..');
/** Test files that need something but cannot be renamed yet: none now. */
const NOT_YET_RENAMED = {};
function testFiles(dir) {
    return (0, node_fs_1.readdirSync)(path.join(root, dir)).flatMap((name) => {
        const rel = path.join(dir, name);
        if ((0, node_fs_1.statSync)(path.join(root, rel)).isDirectory())
            return testFiles(rel);
        return name.endsWith('.test.ts') ? [rel] : [];
    });
}
/** What a test's source shows it needs: the heaviest first (an sshd test may also use the simulator). */
function neededBy(source) {
    if (/TEMPORAL_ADDRESS|helpers\/temporal'|TestWorkflowEnvironment|with-temporal/.test(source))
        return 'temporal';
    if (/from '[./]*testbed\/(sshd|tool-host)'/.test(source))
        return 'ssh';
    if (/from '[./]*sim\/simulator'/.test(source))
        return 'sim';
    if (/qemu-system-x86_64/.test(source))
        return 'qemu';
    return undefined;
}
(0, node_test_1.test)('what a source needs is read from what it starts', () => {
    strict_1.default.equal(neededBy("import { startSshd } from '../../../testbed/sshd';"), 'ssh');
    strict_1.default.equal(neededBy("import { startToolHost } from '../../../testbed/tool-host';"), 'ssh');
    strict_1.default.equal(neededBy("import { startSshd } from '../../testbed/sshd';\nimport { startSimulator } from '../../sim/simulator';"), 'ssh');
    strict_1.default.equal(neededBy("import { startSimulator } from '../../../sim/simulator';"), 'sim');
    strict_1.default.equal(neededBy("const QEMU = 'qemu-system-x86_64';"), 'qemu');
    strict_1.default.equal(neededBy("const address = process.env['TEMPORAL_ADDRESS'];"), 'temporal');
    strict_1.default.equal(neededBy("import { parseFacts } from '../../src/activities/steps/host-facts';"), undefined);
    strict_1.default.equal((0, run_tests_1.needOf)('dist/src/activities/steps/reboot.ssh.test.js'), 'ssh');
    strict_1.default.equal((0, run_tests_1.needOf)('src/activities/install/apt.sim.test.ts'), 'sim');
    strict_1.default.equal((0, run_tests_1.needOf)('src/activities/build/run.test.ts'), undefined);
    strict_1.default.equal((0, run_tests_1.needOf)('test/unit/deb-archive.test.js'), undefined);
});
(0, node_test_1.test)('every test under src and test/unit that needs an sshd, the simulator or qemu is named for it', () => {
    // This file's own samples above would read as needs; system-packages.test.ts names the
    // programs as data (stand-in files in a made-up tree) and runs none of them.
    const namesOnly = [
        path.join('test', 'unit', 'test-needs.test.ts'),
        path.join('test', 'unit', 'system-packages.test.ts'),
    ];
    const files = [...testFiles('src'), ...testFiles(path.join('test', 'unit'))].filter((f) => !namesOnly.includes(f));
    strict_1.default.ok(files.length > 40, `found ${files.length} test files`);
    const wrong = [];
    for (const file of files) {
        const needs = neededBy((0, node_fs_1.readFileSync)(path.join(root, file), 'utf8'));
        const named = (0, run_tests_1.needOf)(file) ?? NOT_YET_RENAMED[file];
        if (needs === 'temporal')
            wrong.push(`${file}: needs a Temporal server, which belongs in test/workflow`);
        else if (needs !== named)
            wrong.push(`${file}: needs ${needs ?? 'nothing'}, named for ${named ?? 'nothing'} (x.${needs}.test.ts)`);
    }
    strict_1.default.deepEqual(wrong, []);
});
//# sourceMappingURL=test-needs.test.js.map