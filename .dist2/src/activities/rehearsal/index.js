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
exports.loadRehearsalImage = void 0;
exports.stopRehearsalVm = stopRehearsalVm;
exports.createRehearsalActivities = createRehearsalActivities;
/**
 * The rehearsal worker's own activities (`kernelctl worker --rehearsal-image DIR`): start the VM,
 * and stop it keeping its serial log and outcome — on the worker, and next to the package on its
 * artifact host (for a build: the build host, in the build's directory).
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const activity_1 = require("@temporalio/activity");
const schema_fields_1 = require("../../shared/schema-fields");
const schemas_1 = require("../../shared/schemas");
const shell_1 = require("../../shared/shell");
const connect_1 = require("../ssh/connect");
const vm_1 = require("./vm");
var vm_2 = require("./vm");
Object.defineProperty(exports, "loadRehearsalImage", { enumerable: true, get: function () { return vm_2.loadRehearsalImage; } });
/** Ends the VM, drops its disk, keeps its serial log and outcome. Idempotent. */
async function stopRehearsalVm(config, req) {
    const dir = (0, vm_1.rehearsalDir)(config, req.rehearsalId);
    if (!fs.existsSync(dir)) {
        throw activity_1.ApplicationFailure.nonRetryable(`no rehearsal ${req.rehearsalId} on this worker (${dir})`, 'InvalidInputError');
    }
    (0, vm_1.stopSupervisor)(dir);
    await (0, vm_1.awaitStopped)(dir);
    fs.rmSync(path.join(dir, 'disk.qcow2'), { force: true });
    const outcome = path.join(dir, 'outcome.json');
    fs.writeFileSync(outcome, `${JSON.stringify({ outcome: req.outcome, reason: req.reason }, null, 2)}\n`);
    const serial = path.join(dir, 'serial.log');
    if (!fs.existsSync(serial))
        fs.writeFileSync(serial, '');
    const record = { worker: { dir, serialLogBytes: fs.statSync(serial).size } };
    if (req.keepWith) {
        const host = (0, schemas_1.parseOrThrow)(schemas_1.sshTargetSchema, req.keepWith.host, 'keepWith.host');
        const debPath = (0, schemas_1.parseOrThrow)(schema_fields_1.safePathSchema, req.keepWith.debPath, 'keepWith.debPath');
        const remoteDir = path.posix.join(path.posix.dirname(debPath), 'rehearsals', req.rehearsalId);
        const s = await (0, connect_1.connectTo)(host);
        try {
            await s.run((0, shell_1.shellJoin)(['mkdir', '-p', '--', remoteDir]));
            await s.upload(serial, path.posix.join(remoteDir, 'serial.log'));
            await s.upload(outcome, path.posix.join(remoteDir, 'outcome.json'));
        }
        finally {
            s.close();
        }
        record.artifactHost = { host: host.host, dir: remoteDir };
    }
    return record;
}
/** `vmQueue`: this worker's own queue, where everything after a VM's start must run. */
function createRehearsalActivities(config, vmQueue) {
    return {
        startRehearsalVm: async (req) => ({
            ...(await (0, vm_1.startRehearsalVm)(config, req)),
            taskQueue: vmQueue,
        }),
        stopRehearsalVm: (req) => stopRehearsalVm(config, req),
    };
}
//# sourceMappingURL=index.js.map