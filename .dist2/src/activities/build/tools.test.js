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
 * The build host's tools: what a config asks for, and the messages that name what is missing.
 * The probe over SSH on a real sshd is in tools.ssh.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const tools_1 = require("./tools");
/** The options of Debian 12's config-6.1.0-*-amd64 that need tools (abridged). */
const DEBIAN_CONFIG = [
    'CONFIG_64BIT=y',
    'CONFIG_X86_64=y',
    'CONFIG_DEBUG_INFO=y',
    'CONFIG_DEBUG_INFO_BTF=y',
    'CONFIG_DEBUG_INFO_BTF_MODULES=y',
    'CONFIG_KERNEL_XZ=y',
    '# CONFIG_KERNEL_ZSTD is not set',
    'CONFIG_MODULE_COMPRESS_NONE=y',
    'CONFIG_MODULE_SIG=y',
    'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"',
].join('\n');
(0, node_test_1.describe)('configRequirements', () => {
    (0, node_test_1.test)("Debian's config needs pahole (dwarves) and python3 for BTF, openssl for its signing key, xz for its kernel", () => {
        const reqs = (0, tools_1.configRequirements)(DEBIAN_CONFIG);
        strict_1.default.deepEqual(reqs.map((r) => [r.name, r.package, r.why]), [
            ['pahole', 'dwarves', 'CONFIG_DEBUG_INFO_BTF=y'],
            ['python3', 'python3', 'CONFIG_DEBUG_INFO_BTF=y'],
            ['openssl', 'openssl', 'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"'],
            ['xz', 'xz-utils', 'CONFIG_KERNEL_XZ=y'],
        ]);
    });
    (0, node_test_1.test)('a signing key of its own asks for no openssl (make generates none)', () => {
        strict_1.default.deepEqual((0, tools_1.configRequirements)('CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_KEY="/etc/keys/mine.pem"\n'), []);
    });
    (0, node_test_1.test)('options that are off ask for nothing', () => {
        strict_1.default.deepEqual((0, tools_1.configRequirements)('# CONFIG_DEBUG_INFO_BTF is not set\nCONFIG_KERNEL_ZSTD=n\n'), []);
    });
});
(0, node_test_1.describe)('scripts/setup-build-host.sh', () => {
    (0, node_test_1.test)('installs the package of every requirement the check knows', () => {
        const script = (0, node_fs_1.readFileSync)(path.resolve(__dirname, '../../../../scripts/setup-build-host.sh'), 'utf8');
        const list = /^pkgs=\(([^)]*)\)/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
        const wanted = [...tools_1.BASE_REQUIREMENTS, ...tools_1.CONFIG_REQUIREMENTS.map((c) => c.need)].map((r) => r.package);
        const essential = new Set(['make', 'gcc', 'binutils', 'perl', 'util-linux', 'dpkg']); // build-essential, Essential
        strict_1.default.deepEqual([...new Set(wanted.filter((p) => !essential.has(p) && !list.includes(p)))], []);
    });
});
(0, node_test_1.describe)('missingMessage', () => {
    (0, node_test_1.test)('names each missing tool, why it is needed, and the apt-get line', () => {
        const msg = (0, tools_1.missingMessage)((0, tools_1.configRequirements)(DEBIAN_CONFIG), 'pahole\n');
        strict_1.default.equal(msg, 'the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves ' +
            '(scripts/setup-build-host.sh installs everything a build needs)');
        strict_1.default.equal((0, tools_1.missingMessage)(tools_1.BASE_REQUIREMENTS, '\n'), undefined);
    });
});
//# sourceMappingURL=tools.test.js.map