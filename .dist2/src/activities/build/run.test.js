"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** runBuild's reading of the build directory's status (the command's output, parsed). */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const run_1 = require("./run");
(0, node_test_1.describe)('parseStatus', () => {
    (0, node_test_1.test)('a running build: busy, objects compiled, elapsed from the first launch', () => {
        const st = (0, run_1.parseStatus)('STATE busy\nLAUNCHES 1\nCC 412\nPKG 0\nSTARTED 1000\nNOW 1300\nLAST   CC      kernel/fork.o\n');
        strict_1.default.equal(st.busy, true);
        strict_1.default.equal(st.compiled, 412);
        strict_1.default.equal(st.now - (st.startedAt ?? 0), 300);
        strict_1.default.equal(st.result, undefined);
        strict_1.default.equal(st.exitCode, undefined);
        strict_1.default.equal(st.lastLine, 'CC      kernel/fork.o');
    });
    (0, node_test_1.test)('a finished build: its result line, and no exit code mistaken for failure', () => {
        const st = (0, run_1.parseStatus)('STATE idle\nRESULT {"deb":"/b/k/linux-image-6.1.192-kr1_6.1.192-kr1-1_amd64.deb","sha256":"' +
            'a'.repeat(64) +
            '","bytes":1,"buildSeconds":2,"launches":1}\nEXIT 0\nLAUNCHES 1\nCC 3\nPKG 1\nSTARTED 1\nNOW 2\nLAST x\n');
        strict_1.default.equal(st.busy, false);
        strict_1.default.match(st.result ?? '', /linux-image-6\.1\.192-kr1/);
        strict_1.default.equal(st.exitCode, 0);
        strict_1.default.equal(st.packaging, true);
    });
    (0, node_test_1.test)('a failed build and one never started', () => {
        strict_1.default.equal((0, run_1.parseStatus)('STATE idle\nEXIT 2\nLAUNCHES 1\nCC 0\nPKG 0\nSTARTED\nNOW 5\nLAST\n').exitCode, 2);
        const fresh = (0, run_1.parseStatus)('STATE idle\nLAUNCHES 0\nCC 0\nPKG 0\nSTARTED\nNOW 5\nLAST\n');
        strict_1.default.equal(fresh.busy, false);
        strict_1.default.equal(fresh.exitCode, undefined);
        strict_1.default.equal(fresh.launches, 0);
        strict_1.default.equal(fresh.startedAt, undefined);
    });
});
//# sourceMappingURL=run.test.js.map