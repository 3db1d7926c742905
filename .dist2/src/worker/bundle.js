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
exports.bundleWorkflowsApart = bundleWorkflowsApart;
/**
 * The workflow bundle, built by webpack in a short-lived child process rather than in the worker.
 *
 * Given `workflowsPath`, the SDK bundles inside the worker's own process: webpack's peak (some
 * 150 MiB of heap) then stays in the worker's resident set for as long as it runs, although the
 * bundle itself is about 2 MiB. Built in a child that exits, the worker keeps only the code, and a
 * worker with a second task queue (the rehearsal VMs') shares one bundle instead of building two.
 * The code is built from the same compiled workflows at every start, so it can never be stale.
 */
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
/** Bundles `workflowsPath` (the compiled workflows' index) in a child process; resolves with the code. */
async function bundleWorkflowsApart(workflowsPath) {
    const child = (0, node_child_process_1.fork)(path.join(__dirname, 'bundle-child.js'), [workflowsPath], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
        let reply;
        child.once('message', (m) => (reply = m));
        child.once('error', reject);
        child.once('exit', (code, signal) => {
            if (reply && 'code' in reply)
                resolve(reply.code);
            else if (reply)
                reject(new Error(`workflow bundle: ${reply.error}`));
            else
                reject(new Error(`workflow bundle: the bundler exited (${signal ?? `code ${code}`}) without a bundle`));
        });
    });
}
//# sourceMappingURL=bundle.js.map