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
exports.selectedNames = selectedNames;
/**
 * The list of VM scenarios (test/e2e/tiers.ts) against the e2e files: every scenario is
 * selectable in the file the list names, every name a file selects is in the list under that
 * file, no file reads KERNEL_ROLLOUT_E2E itself, each scenario's test-name pattern matches one
 * of its file's test titles; and KERNEL_ROLLOUT_E2E's parsing. Read from the sources: nothing here
 * boots a VM.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const tiers_1 = require("../e2e/tiers");
const e2eDir = path.join(__dirname, '..', '..', '..', 'test', 'e2e');
const source = (file) => (0, node_fs_1.readFileSync)(path.join(e2eDir, file), 'utf8');
const list = tiers_1.scenarios;
/** The names a file's source selects: `e2eSelected('x')` and `scenarioTest('x', …)`. */
function selectedNames(text) {
    return [...text.matchAll(/\b(?:e2eSelected|scenarioTest)\(\s*'([^']+)'/g)].map((m) => m[1]);
}
/** Test titles a file's source can register: its string literals, and `scenarioTest(id, title)` as `${id}. ${title}`. */
function titles(text) {
    const literals = [...text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1] ?? m[2] ?? '');
    const composed = [...text.matchAll(/scenarioTest\(\s*'([^']+)',\s*'([^']+)'/g)].map((m) => `${m[1]}. ${m[2]}`);
    return [...literals, ...composed];
}
(0, node_test_1.describe)('the scenario list', () => {
    (0, node_test_1.test)('names are unique; platforms and layers are known ones; each file exists', () => {
        const names = list.map((s) => s.name);
        strict_1.default.deepEqual(names, [...new Set(names)]);
        const files = (0, node_fs_1.readdirSync)(e2eDir);
        for (const s of list) {
            strict_1.default.ok(files.includes(s.file), `${s.name}: ${s.file} is not in test/e2e`);
            strict_1.default.ok(s.platforms.length > 0, `${s.name}: no platform`);
            for (const p of s.platforms)
                strict_1.default.ok(Object.hasOwn(tiers_1.platforms, p), `${s.name}: platform ${p}`);
            for (const p of s.gate)
                strict_1.default.ok(s.platforms.includes(p), `${s.name}: gate on ${p}, not one of its platforms`);
            for (const l of s.layers)
                strict_1.default.ok(Object.hasOwn(tiers_1.layers, l), `${s.name}: layer ${l}`);
        }
        for (const [alias, names] of Object.entries(tiers_1.aliases)) {
            strict_1.default.ok(!list.some((s) => s.name === alias), `alias ${alias} is also a scenario`);
            for (const n of names)
                strict_1.default.ok(list.some((s) => s.name === n), `alias ${alias}: ${n}`);
        }
    });
    (0, node_test_1.test)('every scenario is selectable in its file, and every name an e2e file selects is in the list under it', () => {
        const problems = [];
        for (const s of list)
            if (!selectedNames(source(s.file)).includes(s.name))
                problems.push(`${s.name}: not selected in ${s.file}`);
        for (const file of (0, node_fs_1.readdirSync)(e2eDir).filter((f) => f.endsWith('.ts') && f !== 'tiers.ts')) {
            const text = source(file);
            for (const name of selectedNames(text))
                if (!list.some((s) => s.name === name && s.file === file))
                    problems.push(`${file} selects ${name}, which the list does not give to it`);
            if (/process\.env\[['"]KERNEL_ROLLOUT_E2E['"]\]/.test(text))
                problems.push(`${file} reads KERNEL_ROLLOUT_E2E itself instead of e2eSelected`);
        }
        strict_1.default.deepEqual(problems, []);
    });
    (0, node_test_1.test)("each scenario's test-name pattern matches a title in its file, and no other scenario's", () => {
        for (const s of list) {
            const mine = titles(source(s.file)).filter((t) => s.tests.test(t));
            strict_1.default.ok(mine.length > 0, `${s.name}: ${String(s.tests)} matches no title in ${s.file}`);
            for (const other of list.filter((o) => o.file === s.file && o !== s))
                for (const t of mine)
                    strict_1.default.ok(!other.tests.test(t), `${JSON.stringify(t)} matches ${s.name} and ${other.name}`);
        }
    });
    (0, node_test_1.test)('the gate proves every safety layer on the primary platform; on the others, an upgrade and a panic fallback', () => {
        const gated = (platform) => list.filter((s) => s.gate.includes(platform)).flatMap((s) => s.layers);
        const proven = new Set(gated(tiers_1.primaryPlatform));
        strict_1.default.deepEqual(Object.keys(tiers_1.layers).filter((l) => l !== 'boot-counting' && !proven.has(l)), [], `layers not in the gate on ${tiers_1.primaryPlatform}`);
        for (const platform of Object.keys(tiers_1.platforms).filter((p) => p !== 'no-vm' && p !== tiers_1.primaryPlatform)) {
            const mine = new Set(gated(platform));
            for (const l of ['verified-commit', 'panic-reboot', 'one-shot'])
                strict_1.default.ok(mine.has(l), `${platform}: the gate does not prove ${l}`);
        }
    });
    (0, node_test_1.test)("every layer a platform's loader has is proven on it by some scenario (gate or matrix)", () => {
        const onPlatform = (platform) => new Set(list.filter((s) => s.platforms.includes(platform)).flatMap((s) => s.layers));
        strict_1.default.ok(onPlatform('systemd-boot').has('boot-counting'), 'systemd-boot: boot counting');
        for (const l of ['panic-reboot', 'revert-timer', 'power-driver', 'kexec', 'durable-run'])
            strict_1.default.ok(onPlatform('systemd-boot').has(l), `systemd-boot: ${l}`);
    });
});
(0, node_test_1.describe)('KERNEL_ROLLOUT_E2E', () => {
    (0, node_test_1.test)("unset: the gate's pairs, every VM platform among them", () => {
        strict_1.default.deepEqual([...(0, tiers_1.parseSelection)(undefined)], (0, tiers_1.gatePairs)());
        for (const p of ['bios-grub', 'uefi-grub', 'systemd-boot'])
            strict_1.default.ok((0, tiers_1.gatePairs)().some((k) => k.endsWith(`@${p}`)), `the gate runs something on ${p}`);
    });
    (0, node_test_1.test)('names (on all their platforms), aliases, platforms, name@platform; spaces around commas; empty selects nothing', () => {
        strict_1.default.deepEqual([...(0, tiers_1.parseSelection)('1, 4@bios-grub,conformance@bios-grub')], ['1@bios-grub', '1@uefi-grub', '1@systemd-boot', '4@bios-grub', 'conformance@bios-grub']);
        strict_1.default.deepEqual([...(0, tiers_1.parseSelection)('source-build')], ['source-build-kill@no-vm', 'source-build-upgrade@bios-grub', 'source-build-refused@bios-grub']);
        strict_1.default.deepEqual([...(0, tiers_1.parseSelection)('uefi-grub')], ['1@uefi-grub', '2@uefi-grub'], "KERNEL_ROLLOUT_E2E=uefi-grub: that platform's scenarios alone");
        strict_1.default.ok([...(0, tiers_1.parseSelection)('systemd-boot')].every((k) => k.endsWith('@systemd-boot')));
        strict_1.default.deepEqual([...(0, tiers_1.parseSelection)('')], []);
    });
    (0, node_test_1.test)('an unknown name is refused, naming the variable, the name and the known ones', () => {
        strict_1.default.throws(() => (0, tiers_1.parseSelection)('1,conformence'), /^Error: KERNEL_ROLLOUT_E2E: "conformence" is no scenario or platform; known: 1, 2, .*conformance.*source-build.*systemd-boot.* \(or name@platform\)$/);
    });
});
//# sourceMappingURL=tiers.test.js.map