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
 * `--deb FILE` is checked by kernelctl before anything starts: packages built here with the real
 * `dpkg-deb --build` (xz, gzip, zstd and uncompressed members), a package without the kernel
 * `--to` names, and files that are no package at all.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_zlib_1 = require("node:zlib");
const node_test_1 = require("node:test");
const kernelctl_1 = require("../../src/cli/kernelctl");
const deb_archive_1 = require("../../src/node/deb-archive");
const tmp = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'deb-archive-test-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true }));
const RELEASE = '6.1.0-99-cloud-amd64';
function buildDeb(name, pkg, files, compression = 'xz') {
    const root = path.join(tmp, `${name}-root`);
    (0, node_fs_1.mkdirSync)(path.join(root, 'DEBIAN'), { recursive: true });
    (0, node_fs_1.writeFileSync)(path.join(root, 'DEBIAN', 'control'), `Package: ${pkg}\nVersion: 6.1.99-1\nArchitecture: amd64\nMaintainer: test <test@example.org>\nDescription: test package\n`);
    for (const [file, content] of Object.entries(files)) {
        (0, node_fs_1.mkdirSync)(path.join(root, path.dirname(file)), { recursive: true });
        (0, node_fs_1.writeFileSync)(path.join(root, file), content);
    }
    const out = path.join(tmp, `${name}.deb`);
    (0, node_child_process_1.execFileSync)('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, out], { stdio: 'pipe' });
    return out;
}
const kernelFiles = {
    [`boot/vmlinuz-${RELEASE}`]: 'not really a kernel',
    [`boot/config-${RELEASE}`]: 'CONFIG_X=y\n',
    [`lib/modules/${RELEASE}/${'deep/'.repeat(30)}long-path-module.ko`]: 'module',
};
(0, node_test_1.describe)('--deb: the package is read on the kernelctl side', () => {
    for (const compression of ['xz', 'gzip', 'zstd', 'none']) {
        (0, node_test_1.test)(`a kernel package built by dpkg-deb -Z${compression} is accepted`, async () => {
            const deb = buildDeb(`kernel-${compression}`, `linux-image-${RELEASE}`, kernelFiles, compression);
            const info = await (0, deb_archive_1.inspectDeb)(deb);
            strict_1.default.equal(info.package, `linux-image-${RELEASE}`);
            strict_1.default.equal(info.version, '6.1.99-1');
            strict_1.default.ok(info.files.includes(`/boot/vmlinuz-${RELEASE}`), info.files.join(' '));
            strict_1.default.ok(info.files.some((f) => f.endsWith('/long-path-module.ko') && f.length > 100));
            strict_1.default.equal(await (0, deb_archive_1.debKernelProblem)(deb, RELEASE), undefined);
        });
    }
    (0, node_test_1.test)('a package without the kernel --to names is refused, saying what it holds', async () => {
        const deb = buildDeb('hello', 'hello', { 'usr/bin/hello': '#!/bin/sh\n' });
        strict_1.default.match((await (0, deb_archive_1.debKernelProblem)(deb, RELEASE)), /hello\.deb holds hello 6\.1\.99-1 \(amd64\), which does not install \/boot\/vmlinuz-6\.1\.0-99-cloud-amd64 that --to 6\.1\.0-99-cloud-amd64 names \(it installs no kernel image\)/);
        const other = buildDeb('other-kernel', 'linux-image-6.1.0-98-cloud-amd64', {
            'boot/vmlinuz-6.1.0-98-cloud-amd64': 'x',
        });
        strict_1.default.match((await (0, deb_archive_1.debKernelProblem)(other, RELEASE)), /it installs \/boot\/vmlinuz-6\.1\.0-98-cloud-amd64\)/);
    });
    const notDebs = [
        ['empty', Buffer.alloc(0), /it holds an empty file/],
        ['text', Buffer.from('#!/bin/sh\necho hi\n'), /it holds text/],
        ['gzip', (0, node_zlib_1.gzipSync)(Buffer.from('hello')), /it holds gzip-compressed data/],
        ['elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), /it holds an ELF executable/],
        [
            'ar-not-deb',
            Buffer.from('!<arch>\nfoo.o/          0           0     0     644     2         `\nab'),
            /not a Debian binary package/,
        ],
        [
            'truncated',
            Buffer.from('!<arch>\ndebian-binary   0           0     0     644     4000      `\n2.0\n'),
            /truncated/,
        ],
    ];
    for (const [name, content, expected] of notDebs) {
        (0, node_test_1.test)(`a file that is not a Debian package (${name}) is refused before anything starts`, async () => {
            const file = path.join(tmp, `${name}.deb`);
            (0, node_fs_1.writeFileSync)(file, content);
            const problem = await (0, deb_archive_1.debKernelProblem)(file, RELEASE);
            strict_1.default.match(problem, /is not a Debian binary package: it holds /);
            strict_1.default.match(problem, expected);
            await strict_1.default.rejects((0, kernelctl_1.upgradeInputFromFlags)('web-01', { to: RELEASE, deb: file }), (e) => e.message.startsWith('--deb: ') && expected.test(e.message));
        });
    }
    (0, node_test_1.test)('kernelctl accepts the right package and records its sha256', async () => {
        const deb = buildDeb('kernel-cli', `linux-image-${RELEASE}`, kernelFiles);
        const input = (await (0, kernelctl_1.upgradeInputFromFlags)('web-01', { to: RELEASE, deb }));
        strict_1.default.equal(input.source.kind, 'deb');
        strict_1.default.match(input.source.sha256, /^[0-9a-f]{64}$/);
    });
});
//# sourceMappingURL=deb-archive.test.js.map