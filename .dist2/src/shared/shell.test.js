"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_test_1 = require("node:test");
const shell_1 = require("./shell");
(0, node_test_1.describe)('andChain: steps that run only while every one before succeeded (a real shell)', () => {
    const sh = (cmd) => (0, node_child_process_1.spawnSync)('sh', ['-c', cmd], { encoding: 'utf8' });
    (0, node_test_1.test)('a failed step stops the chain, even before a step with its own top-level ||', () => {
        const r = sh((0, shell_1.andChain)(['false', '[ -e /nonexistent-kr ] || echo rescued', 'echo after']));
        strict_1.default.notEqual(r.status, 0);
        strict_1.default.equal(r.stdout, '', 'neither the || branch nor the next step ran');
        // The plain join this replaces lets the || catch the earlier failure:
        strict_1.default.equal(sh(['false', '[ -e /nonexistent-kr ] || echo rescued'].join(' && ')).stdout, 'rescued\n');
    });
    (0, node_test_1.test)('every step runs in order when each succeeds; a here-document step keeps its end line', () => {
        const heredoc = "cat <<'KR_EOF'\nfrom the document\nKR_EOF";
        const r = sh((0, shell_1.andChain)(['echo one', heredoc, 'echo two']));
        strict_1.default.equal(r.status, 0);
        strict_1.default.equal(r.stdout, 'one\nfrom the document\ntwo\n');
    });
});
//# sourceMappingURL=shell.test.js.map