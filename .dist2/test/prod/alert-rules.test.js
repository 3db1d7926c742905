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
 * The shipped alert rules (deploy/prometheus/kernel-rollout-rules.yml) with Prometheus's own tool:
 * `promtool check rules` (syntax, PromQL, templates) and `promtool test rules` on
 * test/prod/kernel-rollout-rules.promtest.yml (input series → the alerts that must and must not
 * fire). promtool comes with Debian's prometheus package, which test:prod requires
 * (scripts/system-packages.sh prod). test/prod/prod.test.ts sees KernelRolloutHostStuck fire in
 * a real Prometheus for a host held in its trial reboot.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const cluster_1 = require("./cluster");
const PROMTOOL = '/usr/bin/promtool';
const UNIT_TESTS = path.join(cluster_1.ROOT, 'test', 'prod', 'kernel-rollout-rules.promtest.yml');
(0, node_test_1.test)('promtool check rules: the shipped alert rules', async () => {
    strict_1.default.ok(fs.existsSync(PROMTOOL), `${PROMTOOL} is missing: apt-get install prometheus`);
    const r = await (0, cluster_1.run)([PROMTOOL, 'check', 'rules', cluster_1.RULES]);
    strict_1.default.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    strict_1.default.match(r.stdout, /SUCCESS: 8 rules found/);
});
(0, node_test_1.test)('promtool test rules: each alert fires on its input series, and only then', async () => {
    const r = await (0, cluster_1.run)([PROMTOOL, 'test', 'rules', UNIT_TESTS]);
    strict_1.default.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    strict_1.default.match(r.stdout, /SUCCESS/);
    // Every alert of the file has a unit test.
    const tests = fs.readFileSync(UNIT_TESTS, 'utf8');
    const alerts = [...fs.readFileSync(cluster_1.RULES, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    strict_1.default.equal(alerts.length, 8);
    for (const a of alerts)
        strict_1.default.match(tests, new RegExp(`alertname: ${a}\\n\\s+exp_alerts:\\n\\s+- exp_labels`), a);
});
//# sourceMappingURL=alert-rules.test.js.map