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
exports.sendControl = sendControl;
exports.main = main;
/**
 * The simulated power driver, for kernel-rollout's `command` power driver:
 *   node dist/sim/power.js <state-dir>/control.json <host> [reset|off|state]
 * (`{host}` in the driver's argv is replaced by the host's name). Exit 0 when done.
 */
const node_fs_1 = require("node:fs");
const net = __importStar(require("node:net"));
function sendControl(controlPath, line) {
    const { port, token } = JSON.parse((0, node_fs_1.readFileSync)(controlPath, 'utf8'));
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: '127.0.0.1', port }, () => sock.write(`${token} ${line}\n`));
        let buf = '';
        sock.on('data', (d) => {
            buf += d.toString('utf8');
            if (buf.includes('\n')) {
                sock.end();
                resolve(buf.trim());
            }
        });
        sock.on('error', (err) => reject(new Error(`fleet simulator at 127.0.0.1:${port}: ${err.message}`)));
    });
}
async function main(argv) {
    const [controlPath, host, action = 'reset'] = argv;
    const verbs = {
        reset: 'power-reset',
        cycle: 'power-reset',
        off: 'power-off',
        state: 'state',
    };
    const verb = verbs[action];
    if (!controlPath || !host || !verb) {
        process.stderr.write('usage: power.js <control.json> <host> [reset|off|state]\n');
        return 2;
    }
    const reply = await sendControl(controlPath, `${verb} ${host}`);
    process.stdout.write(`${host}: ${reply}\n`);
    return reply.startsWith('ok') ? 0 : 1;
}
if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=power.js.map