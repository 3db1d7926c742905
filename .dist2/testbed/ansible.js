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
Object.defineProperty(exports, "__esModule", { value: true });
exports.ANSIBLE_CORE_VERSION = void 0;
exports.ensureAnsible = ensureAnsible;
/**
 * ansible-core from PyPI in a cached virtualenv: the real Ansible that the inventory differential
 * test asks (test/differential/) and the Ansible comparison bench runs (bench/ansible.ts). One
 * release and one virtualenv for both, made on first use.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
exports.ANSIBLE_CORE_VERSION = '2.19.14';
/** The virtualenv's directory ($KERNEL_ROLLOUT_ANSIBLE_VENV, or one under ~/.cache/kernel-rollout). */
function ensureAnsible(log = (l) => process.stdout.write(`# ${l}\n`)) {
    const venv = process.env['KERNEL_ROLLOUT_ANSIBLE_VENV'] ??
        process.env['KERNEL_ROLLOUT_BENCH_VENV'] ??
        path.join(os.homedir(), '.cache', 'kernel-rollout', 'bench', `ansible-core-${exports.ANSIBLE_CORE_VERSION}`);
    const playbook = path.join(venv, 'bin', 'ansible-playbook');
    if ((0, node_fs_1.existsSync)(playbook) && (0, node_fs_1.existsSync)(path.join(venv, 'bin', 'ansible')))
        return venv;
    log(`installing ansible-core ${exports.ANSIBLE_CORE_VERSION} into ${venv} (python3 -m venv + pip, once) …`);
    (0, node_fs_1.mkdirSync)(path.dirname(venv), { recursive: true });
    (0, node_child_process_1.execFileSync)('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    (0, node_child_process_1.execFileSync)(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', `ansible-core==${exports.ANSIBLE_CORE_VERSION}`], { stdio: 'inherit' });
    if (!(0, node_fs_1.existsSync)(playbook))
        throw new Error(`pip install ansible-core did not provide ${playbook}`);
    return venv;
}
//# sourceMappingURL=ansible.js.map