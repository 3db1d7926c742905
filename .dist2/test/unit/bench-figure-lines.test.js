"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** bench/lib.ts figureLines: the one-line-per-figure form scripts read after every bench run. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const lib_1 = require("../../bench/lib");
(0, node_test_1.test)('figure <name> <value> <unit> target <target> met|missed, one line per figure', () => {
    const lines = (0, lib_1.figureLines)([
        {
            bench: 'per-host overhead',
            name: 'VM testbed, one upgrade (--vm 1)',
            value: 24.5,
            unit: 's',
            target: { op: '<=', value: 30 },
        },
        { bench: 'fleet', name: '1000 hosts: worker peak RSS', value: 642, unit: 'MiB', target: { op: '<=', value: 350 } },
        { bench: 'vs Ansible', name: 'wall ratio', value: 1.57, unit: '×' },
        { bench: 'fleet', name: 'over ideal', value: null, unit: '%', target: { op: '<=', value: 3 }, note: 'not run' },
    ]).split('\n');
    strict_1.default.deepEqual(lines, [
        'figure per-host-overhead.vm-testbed-one-upgrade-vm-1 24.5 s target <=30s met',
        'figure fleet.1000-hosts-worker-peak-rss 642 MiB target <=350MiB missed',
        'figure vs-ansible.wall-ratio 1.57 × target none reported',
        'figure fleet.over-ideal not-measured % target <=3% not-measured',
    ]);
    for (const l of lines)
        strict_1.default.match(l, /^figure \S+ \S+ \S+ target \S+ (met|missed|reported|not-measured)$/);
});
//# sourceMappingURL=bench-figure-lines.test.js.map