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
 * Bad input is refused before anything is touched, with the field named: the zod schemas, the
 * shell quoting, and kernelctl end to end (exit 2, and not one connection to Temporal).
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_net_1 = require("node:net");
const path = __importStar(require("node:path"));
const schemas_1 = require("../../src/shared/schemas");
const shell_1 = require("../../src/shared/shell");
const kernelctl_1 = require("../../src/cli/kernelctl");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const valid = {
    target: { host: 'web-01.example.org', user: 'deploy', privateKeyPath: '/home/op/.ssh/id_ed25519' },
    toRelease: '6.1.0-56-cloud-amd64',
    source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
};
(0, node_test_1.describe)('zod schemas', () => {
    (0, node_test_1.test)('a valid input gets defaults', () => {
        const v = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, valid);
        strict_1.default.equal(v.panicSeconds, 10);
        strict_1.default.equal(v.target.port, 22);
        strict_1.default.equal(v.power.driver, 'none');
        strict_1.default.equal(v.timeouts.bootDeadlineSeconds, 600);
    });
    const bad = [
        ['host with shell characters', { ...valid, target: { ...valid.target, host: 'web;reboot' } }, /^target\.host:/m],
        ['release with a command', { ...valid, toRelease: '6.1; rm -rf /' }, /^toRelease:/m],
        [
            'package with spaces',
            { ...valid, source: { kind: 'apt', packageName: 'linux-image-6 && reboot' } },
            /^source\.packageName:/m,
        ],
        [
            'relative key path',
            { ...valid, target: { ...valid.target, privateKeyPath: '../id_rsa' } },
            /^target\.privateKeyPath:/m,
        ],
        [
            'path traversal',
            { ...valid, target: { ...valid.target, knownHostsPath: '/etc/../root/x' } },
            /^target\.knownHostsPath:/m,
        ],
        [
            'key material instead of a path',
            { ...valid, target: { ...valid.target, privateKey: '-----BEGIN' } },
            /privateKey/,
        ],
        ['bad fingerprint', { ...valid, target: { ...valid.target, hostKeySha256: 'MD5:aa' } }, /^target\.hostKeySha256:/m],
        ['trial arg with $()', { ...valid, trialKernelArgs: ['init=$(reboot)'] }, /^trialKernelArgs\.0:/m],
        ['panic 0', { ...valid, panicSeconds: 0 }, /^panicSeconds:/m],
        ['deb without sha', { ...valid, source: { kind: 'deb', localPath: '/tmp/k.deb' } }, /^source\.sha256:/m],
        ['unknown power driver', { ...valid, power: { driver: 'ipmi-magic' } }, /^power\.driver:/m],
        [
            'non-kernel package',
            { ...valid, source: { kind: 'apt', packageName: 'openssh-server' } },
            /^source\.packageName:/m,
        ],
    ];
    for (const [name, input, field] of bad) {
        (0, node_test_1.test)(`refused: ${name}`, () => {
            strict_1.default.throws(() => (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, input), (err) => {
                strict_1.default.ok(err instanceof schemas_1.InvalidInputError);
                strict_1.default.match(err.message, field);
                return true;
            });
        });
    }
    (0, node_test_1.test)('operator actions are validated too', () => {
        strict_1.default.throws(() => (0, schemas_1.parseOrThrow)(schemas_1.abortArgsSchema, { by: 'x', reason: '' }), /reason/);
        strict_1.default.throws(() => (0, schemas_1.parseOrThrow)(schemas_1.abortArgsSchema, { by: 'x\u0007', reason: 'r' }), /by/);
    });
});
(0, node_test_1.describe)('shell quoting', () => {
    (0, node_test_1.test)('plain words stay, everything else is single-quoted', () => {
        strict_1.default.equal((0, shell_1.shellQuote)('linux-image-6.1.0-56-cloud-amd64'), 'linux-image-6.1.0-56-cloud-amd64');
        strict_1.default.equal((0, shell_1.shellQuote)("it's"), `'it'\\''s'`);
        strict_1.default.equal((0, shell_1.shellJoin)(['echo', '$(reboot)', 'a b']), `echo '$(reboot)' 'a b'`);
        strict_1.default.throws(() => (0, shell_1.shellQuote)('a\0b'), /NUL/);
    });
    (0, node_test_1.test)('a quoted value reaches the program as one literal argument', () => {
        const nasty = `a'b"c $(touch /tmp/kr-pwned) \`id\` ; | & > <`;
        const r = (0, node_child_process_1.spawnSync)('/bin/sh', ['-c', `printf %s ${(0, shell_1.shellQuote)(nasty)}`]);
        strict_1.default.equal(r.stdout.toString(), nasty);
    });
});
(0, node_test_1.describe)('kernelctl refuses bad input before connecting', () => {
    (0, node_test_1.test)("upgrade 'bad host!' --to '6.1; rm -rf /': exit 2, each bad field named, no connection", async () => {
        let connections = 0;
        const server = (0, node_net_1.createServer)((s) => {
            connections += 1;
            s.destroy();
        });
        await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
        const port = server.address().port;
        const child = (0, node_child_process_1.spawn)(process.execPath, [
            kernelctl,
            'upgrade',
            'bad host!',
            '--to',
            '6.1; rm -rf /',
            '--address',
            `127.0.0.1:${port}`,
        ]);
        let stderr = '';
        child.stderr.on('data', (b) => (stderr += b.toString()));
        const code = await new Promise((r) => child.on('exit', r));
        server.close();
        strict_1.default.equal(code, 2);
        strict_1.default.match(stderr, /<host> \(target\.host\): must be a host name/);
        strict_1.default.match(stderr, /--to \(toRelease\): must be a kernel release/);
        strict_1.default.match(stderr, /nothing was started/);
        strict_1.default.equal(connections, 0, 'no connection to Temporal');
    });
    (0, node_test_1.test)('help lists the commands and upgrade options', () => {
        const main = (0, node_child_process_1.spawnSync)(process.execPath, [kernelctl, '--help']).stdout.toString();
        for (const c of ['upgrade', 'plan', 'status', 'watch', 'approve', 'abort', 'resolve', 'worker', 'dev']) {
            strict_1.default.match(main, new RegExp(`^  ${c}\\b`, 'm'), c);
        }
        const up = (0, node_child_process_1.spawnSync)(process.execPath, [kernelctl, 'upgrade', '--help']).stdout.toString();
        for (const o of ['--to', '--package', '--deb', '--kexec', '--approve-before-reboot', '--wait']) {
            strict_1.default.ok(up.includes(o), o);
        }
    });
    (0, node_test_1.test)('a bad health check is named by its flag and its place among that flag, as given', () => {
        const r = (0, node_child_process_1.spawnSync)(process.execPath, [
            kernelctl,
            'upgrade',
            'web-01',
            '--to',
            '6.1.0-56-cloud-amd64',
            '--health-cmd',
            'true',
            '--health-unit',
            'nginx service',
            '--health-unit',
            'ok.service',
            '--health-unit',
            'x;reboot',
            '--health-url',
            'ftp://x',
            '--address',
            '127.0.0.1:1',
        ]);
        const stderr = r.stderr.toString();
        strict_1.default.equal(r.status, 2, stderr);
        strict_1.default.match(stderr, /^ {2}--health-unit #1 \("nginx service"\): must be a systemd unit name$/m);
        strict_1.default.match(stderr, /^ {2}--health-unit #3 \("x;reboot"\): must be a systemd unit name$/m);
        strict_1.default.match(stderr, /^ {2}--health-url #1 \("ftp:\/\/x"\): /m);
        strict_1.default.doesNotMatch(stderr, /--health-cmd|--health-unit #2|healthChecks/);
    });
    (0, node_test_1.test)('one health flag adds to the default system-running check, which stays first', async () => {
        const input = (await (0, kernelctl_1.upgradeInputFromFlags)('web-01', {
            to: '6.1.0-56-cloud-amd64',
            'health-unit': ['nginx.service'],
        }));
        strict_1.default.deepEqual(input.healthChecks, [{ kind: 'system-running' }, { kind: 'systemd-unit', unit: 'nginx.service' }]);
        // No health flag: the input leaves healthChecks out, and the schema's default is that one check.
        const none = (await (0, kernelctl_1.upgradeInputFromFlags)('web-01', { to: '6.1.0-56-cloud-amd64' }));
        strict_1.default.ok(!('healthChecks' in none));
        strict_1.default.deepEqual((0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, valid).healthChecks, [
            { kind: 'system-running', allowDegraded: true },
        ]);
    });
    (0, node_test_1.test)('unknown flags and missing host are usage errors', () => {
        strict_1.default.equal((0, node_child_process_1.spawnSync)(process.execPath, [kernelctl, 'upgrade', 'h', '--to', '6.1.0-1-amd64', '--frobnicate']).status, 2);
        strict_1.default.equal((0, node_child_process_1.spawnSync)(process.execPath, [kernelctl, 'status']).status, 2);
        strict_1.default.equal((0, node_child_process_1.spawnSync)(process.execPath, [kernelctl, 'resolve', 'h', '--retry', '--give-up']).status, 2);
    });
});
//# sourceMappingURL=input-validation.test.js.map