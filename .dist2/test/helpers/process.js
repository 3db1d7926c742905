"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runProcess = runProcess;
/** Runs a program to its end with its output collected; never throws on its exit code. */
const node_child_process_1 = require("node:child_process");
function runProcess(cmd, args, env = process.env) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}
//# sourceMappingURL=process.js.map