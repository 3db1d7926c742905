"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The pure parts of prepareBuild: which fragment lines took, and the build key. */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const prepare_1 = require("./prepare");
const effective = [
    'CONFIG_64BIT=y',
    'CONFIG_VIRTIO_BLK=y',
    'CONFIG_EXT4_FS=m',
    'CONFIG_NR_CPUS=8',
    'CONFIG_CMDLINE="console=ttyS0"',
    '# CONFIG_DEBUG_INFO is not set',
].join('\n');
(0, node_test_1.describe)('fragmentsNotTaken', () => {
    (0, node_test_1.test)('lines the effective config has are taken, whatever their kind', () => {
        strict_1.default.deepEqual((0, prepare_1.fragmentsNotTaken)(['CONFIG_VIRTIO_BLK=y', 'CONFIG_EXT4_FS=m', 'CONFIG_NR_CPUS=8', 'CONFIG_CMDLINE="console=ttyS0"'], effective), []);
    });
    (0, node_test_1.test)('"is not set" and =n both mean off, and hold when the option is absent or unset', () => {
        strict_1.default.deepEqual((0, prepare_1.fragmentsNotTaken)(['# CONFIG_DEBUG_INFO is not set', 'CONFIG_KVM=n'], effective), []);
        strict_1.default.deepEqual((0, prepare_1.fragmentsNotTaken)(['CONFIG_64BIT=n'], effective), ['CONFIG_64BIT=n']);
    });
    (0, node_test_1.test)('a value olddefconfig changed or dropped is named', () => {
        strict_1.default.deepEqual((0, prepare_1.fragmentsNotTaken)(['CONFIG_EXT4_FS=y', 'CONFIG_NO_SUCH=y', 'CONFIG_NR_CPUS=4'], effective), [
            'CONFIG_EXT4_FS=y',
            'CONFIG_NO_SUCH=y',
            'CONFIG_NR_CPUS=4',
        ]);
    });
});
(0, node_test_1.describe)('buildKey', () => {
    const base = { source: 'linux-source-6.1=6.1.192-2', configSha256: 'a'.repeat(64), toolchain: 'gcc 12.2.0' };
    (0, node_test_1.test)('16 hex digits, the same for the same parts', () => {
        strict_1.default.match((0, prepare_1.buildKey)(base), /^[0-9a-f]{16}$/);
        strict_1.default.equal((0, prepare_1.buildKey)({ ...base }), (0, prepare_1.buildKey)(base));
    });
    (0, node_test_1.test)('changes with the source, the config, the toolchain and a chosen LOCALVERSION', () => {
        const keys = new Set([
            (0, prepare_1.buildKey)(base),
            (0, prepare_1.buildKey)({ ...base, source: 'linux-source-6.1=6.1.193-1' }),
            (0, prepare_1.buildKey)({ ...base, configSha256: 'b'.repeat(64) }),
            (0, prepare_1.buildKey)({ ...base, toolchain: 'gcc 12.3.0' }),
            (0, prepare_1.buildKey)({ ...base, localVersion: '-web' }),
        ]);
        strict_1.default.equal(keys.size, 5);
    });
});
//# sourceMappingURL=prepare.test.js.map