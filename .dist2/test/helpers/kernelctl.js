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
exports.kernelctlOn = kernelctlOn;
/** Runs the real kernelctl (bin/kernelctl.js) as a child process against a test's dev server. */
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
const temporal_1 = require("./temporal");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
/** `kernelctl ARGS --address <the dev server> --task-queue QUEUE`, to its exit. */
async function kernelctlOn(taskQueue, args) {
    const address = await (0, temporal_1.temporalAddress)();
    const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, ...args, '--address', address, '--task-queue', taskQueue], {
        env: { ...process.env, KERNELCTL_ACTOR: 'test-operator' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b.toString()));
    child.stderr.on('data', (b) => (stderr += b.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    return { code, stdout, stderr };
}
//# sourceMappingURL=kernelctl.js.map