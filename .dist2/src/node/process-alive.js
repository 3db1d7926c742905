"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.processAlive = processAlive;
/** Whether a process with this PID exists (signal 0; EPERM: it exists, owned by someone else). */
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
//# sourceMappingURL=process-alive.js.map