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
 * A failed build's message quotes the lines of its log that say why: realistic `make bindeb-pkg`
 * failures (test/fixtures/build-logs), each with the lines that must be quoted in its header.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const failure_lines_1 = require("../../src/activities/build/failure-lines");
const DIR = path.resolve(__dirname, '../../../test/fixtures/build-logs');
(0, node_test_1.describe)('causeLines on real-looking build logs', () => {
    const logs = (0, node_fs_1.readdirSync)(DIR).filter((f) => f.endsWith('.log'));
    (0, node_test_1.test)('there are fixtures', () => strict_1.default.ok(logs.length >= 5));
    for (const file of logs) {
        (0, node_test_1.test)(file, () => {
            const text = (0, node_fs_1.readFileSync)(path.join(DIR, file), 'utf8');
            const expected = [...text.matchAll(/^# cause: (.*)$/gm)].map((m) => m[1]);
            const log = text.replace(/^# cause: .*\n/gm, '');
            const got = (0, failure_lines_1.causeLines)(log);
            strict_1.default.deepEqual(got, expected);
        });
    }
    (0, node_test_1.test)("kbuild's quiet lines never count, whatever the object is called", () => {
        const log = [
            '  CC      /b/obj/tools/objtool/str_error_r.o',
            '  CC      lib/error-inject.o',
            '  CC [M]  fs/ext4/error.o',
            '  HOSTCC  scripts/not_found.o',
        ].join('\n');
        strict_1.default.deepEqual((0, failure_lines_1.causeLines)(log), []);
    });
    (0, node_test_1.test)('many errors: the first ones are quoted, and how many more there were', () => {
        const log = Array.from({ length: 50 }, (_, i) => `drivers/x.c:${i + 1}:1: error: expected ';'`).join('\n');
        const got = (0, failure_lines_1.causeLines)(log);
        strict_1.default.equal(got.length, failure_lines_1.MAX_CAUSE_LINES);
        strict_1.default.equal(got[0], "drivers/x.c:1:1: error: expected ';'");
        strict_1.default.equal(got.at(-1), `… and ${50 - failure_lines_1.MAX_CAUSE_LINES + 1} more such line(s)`);
    });
});
//# sourceMappingURL=build-failure-lines.test.js.map