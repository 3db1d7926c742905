"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Which architecture a config builds for, and the refusal of one that does not suit the hosts. */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const architecture_1 = require("./architecture");
/** What `make tinyconfig` on x86 leaves (64BIT answered "no"), abridged. */
const TINY_X86 = '# CONFIG_64BIT is not set\nCONFIG_X86_32=y\nCONFIG_X86=y\n';
const DEBIAN_AMD64 = 'CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_X86=y\n';
(0, node_test_1.describe)('configArchitecture', () => {
    (0, node_test_1.test)('x86: 32-bit is i386, 64-bit amd64; others by their arch option', () => {
        strict_1.default.equal((0, architecture_1.configArchitecture)(TINY_X86), 'i386');
        strict_1.default.equal((0, architecture_1.configArchitecture)(DEBIAN_AMD64), 'amd64');
        strict_1.default.equal((0, architecture_1.configArchitecture)('CONFIG_64BIT=y\nCONFIG_ARM64=y\n'), 'arm64');
        strict_1.default.equal((0, architecture_1.configArchitecture)('CONFIG_FOO=y\n'), undefined);
    });
});
(0, node_test_1.describe)('architectureProblem', () => {
    (0, node_test_1.test)('an i386 kernel for amd64 hosts is refused, saying how to get a 64-bit one', () => {
        strict_1.default.equal((0, architecture_1.architectureProblem)(TINY_X86, 'amd64'), 'the effective config builds a kernel for i386, and the build host and the hosts it builds for are amd64 ' +
            '(CONFIG_64BIT is not set: add --fragment CONFIG_64BIT=y, or start from a 64-bit config)');
        strict_1.default.equal((0, architecture_1.architectureProblem)(DEBIAN_AMD64, 'amd64'), undefined);
    });
});
//# sourceMappingURL=architecture.test.js.map