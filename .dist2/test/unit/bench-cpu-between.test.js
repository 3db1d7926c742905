"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** bench/lib.ts cpuBetween: the CPU each part spent in a stretch of a run, from cumulative samples. */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const lib_1 = require("../../bench/lib");
const samples = [
    { at: 1000, worker: 1, server: 2, hosts: 3 },
    { at: 1100, worker: 1.5, server: 2, hosts: 4 },
    { at: 1300, worker: 2.5, server: 3, hosts: 4 },
];
const close = (actual, expected) => strict_1.default.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
(0, node_test_1.test)('cpuBetween: exact sample times give the differences of the samples', () => {
    const c = (0, lib_1.cpuBetween)(samples, 1000, 1300);
    close(c.worker, 1.5);
    close(c.server, 1);
    close(c.hosts, 1);
});
(0, node_test_1.test)('cpuBetween: a moment between two samples is read on the line between them', () => {
    // 1025 is a quarter of the way from the first sample to the second; 1250 three quarters of the
    // way from the second to the third.
    const c = (0, lib_1.cpuBetween)(samples, 1025, 1250);
    close(c.worker, 2.25 - 1.125);
    close(c.server, 2.75 - 2);
    close(c.hosts, 4 - 3.25);
});
(0, node_test_1.test)('cpuBetween: moments outside the samples count as the nearest sample; no samples, nothing', () => {
    const c = (0, lib_1.cpuBetween)(samples, 0, 5000);
    close(c.worker, 1.5);
    close(c.hosts, 1);
    strict_1.default.deepEqual((0, lib_1.cpuBetween)([], 0, 1), { worker: 0, server: 0, hosts: 0 });
    strict_1.default.deepEqual((0, lib_1.cpuBetween)(samples, 2000, 3000), { worker: 0, server: 0, hosts: 0 });
});
//# sourceMappingURL=bench-cpu-between.test.js.map