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
exports.NEEDS = void 0;
exports.needOf = needOf;
/**
 * Runs node's test runner on every *.test.js under the given folders of dist/test (node 20's
 * --test has no globs, and would treat every .js under a `test` folder as a test file). The
 * folder `src` means dist/src: the tests that sit beside the drivers they test.
 *   node dist/scripts/run-tests.js src unit ssh workflow
 * A test file that needs something of this machine says so in its name, before `.test.ts`
 * (`NEEDS` below): `reboot.ssh.test.ts` needs a real sshd, `apt.sim.test.ts` the fleet simulator,
 * `qmp.qemu.test.ts` qemu. `--needs-nothing` leaves those out (npm run test:unit); `npm test`
 * runs them on a machine prepared by scripts/setup-test-host.sh.
 * `--files-at-once=N` runs N files side by side (default 1). The e2e files all start at once:
 * their VMs wait for one of the machine's VM slots inside testbed/vm.ts, ranked so the longest
 * start first (node 20 runs the files in sorted order whatever order they are named in).
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
function find(dir) {
    return (0, node_fs_1.readdirSync)(dir).flatMap((name) => {
        const p = path.join(dir, name);
        if ((0, node_fs_1.statSync)(p).isDirectory())
            return find(p);
        return name.endsWith('.test.js') ? [p] : [];
    });
}
/** What a test file named `<name>.<need>.test.ts` needs besides node and the npm packages. */
exports.NEEDS = {
    ssh: 'a real OpenSSH sshd on loopback, run as root (scripts/setup-test-host.sh)',
    sim: 'the fleet simulator (bubblewrap)',
    qemu: 'qemu-system-x86_64',
};
/** The need a test file's name declares (`x.ssh.test.js` → 'ssh'), or undefined. */
function needOf(file) {
    const m = /\.([a-z]+)\.test\.[jt]s$/.exec(path.basename(file));
    return m && Object.hasOwn(exports.NEEDS, m[1]) ? m[1] : undefined;
}
function main() {
    const dist = path.join(__dirname, '..');
    const args = process.argv.slice(2);
    const option = args.find((a) => a.startsWith('--files-at-once='));
    const filesAtOnce = option === undefined ? 1 : Number(option.slice('--files-at-once='.length));
    if (!Number.isInteger(filesAtOnce) || filesAtOnce < 1) {
        process.stderr.write(`run-tests: ${option ?? ''} needs a whole number >= 1\n`);
        process.exit(2);
    }
    const needsNothing = args.includes('--needs-nothing');
    const folders = args.filter((a) => a !== option && a !== '--needs-nothing');
    const found = folders
        .flatMap((f) => find(f === 'src' || f.startsWith('src/') ? path.join(dist, f) : path.join(dist, 'test', f)))
        .sort();
    // tsc never deletes: a compiled test whose source was renamed or removed would run on.
    const stale = found.filter((f) => !(0, node_fs_1.existsSync)(path.join(dist, '..', path.relative(dist, f)).replace(/\.js$/, '.ts')));
    for (const f of stale)
        process.stderr.write(`run-tests: ${f} has no source any more: not run (rm -rf dist once)\n`);
    const current = found.filter((f) => !stale.includes(f));
    const files = needsNothing ? current.filter((f) => needOf(f) === undefined) : current;
    if (needsNothing && files.length < current.length) {
        const left = current.length - files.length;
        process.stderr.write(`run-tests: --needs-nothing leaves out ${left} file${left === 1 ? '' : 's'} named for what they need ` +
            `(${Object.keys(exports.NEEDS)
                .map((k) => `*.${k}.test.js`)
                .join(', ')}; npm test runs them)\n`);
    }
    if (files.length === 0) {
        process.stderr.write(`no test files under ${folders.join(', ')}\n`);
        process.exit(1);
    }
    const child = (0, node_child_process_1.spawn)(process.execPath, ['--test', `--test-concurrency=${filesAtOnce}`, ...files], {
        stdio: 'inherit',
    });
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
if (require.main === module)
    main();
//# sourceMappingURL=run-tests.js.map