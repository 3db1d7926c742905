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
exports.main = main;
/**
 * Starts a simulated fleet and keeps it running until SIGINT/SIGTERM:
 *   node dist/sim/cli.js --hosts 5 --boot-seconds 3 [--state-dir DIR] [--fault HOST:RELEASE=panic|no-network|hang]
 * Prints an ssh_config snippet; known_hosts, the client key and control.json are in the state dir.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const simulator_1 = require("./simulator");
async function main(argv) {
    const { values } = (0, node_util_1.parseArgs)({
        args: argv,
        options: {
            hosts: { type: 'string', default: '3' },
            'boot-seconds': { type: 'string', default: '3' },
            'state-dir': { type: 'string' },
            prefix: { type: 'string', default: 'sim-' },
            fault: { type: 'string', multiple: true, default: [] },
        },
    });
    const hosts = Number(values.hosts);
    const bootSeconds = Number(values['boot-seconds']);
    if (!Number.isInteger(hosts) || hosts < 1 || !(bootSeconds >= 0)) {
        throw new Error('--hosts must be a whole number ≥ 1 and --boot-seconds a number ≥ 0');
    }
    const faults = {};
    for (const f of values.fault ?? []) {
        const m = /^([^:]+):([^=]+)=(panic|no-network|hang)$/.exec(f);
        if (!m)
            throw new Error(`--fault ${f}: expected HOST:RELEASE=panic|no-network|hang`);
        const [, host = '', release = '', kind] = m;
        faults[host] = { kernels: { ...faults[host]?.kernels, [release]: kind } };
    }
    const sim = await (0, simulator_1.startSimulator)({
        hosts,
        bootSeconds,
        stateDir: values['state-dir'],
        namePrefix: values.prefix,
        faults,
    });
    const configPath = path.join(sim.stateDir, 'ssh_config');
    (0, node_fs_1.writeFileSync)(configPath, sim.sshConfig());
    process.stdout.write(`# ${hosts} simulated hosts; ssh -F ${configPath} ${sim.hosts[0]?.name ?? ''} uname -r\n` +
        `# known_hosts: ${sim.knownHostsPath}\n# client key: ${sim.clientKeyPath}\n` +
        `# power driver: node ${path.join(__dirname, 'power.js')} ${sim.controlPath} {host}\n\n` +
        sim.sshConfig());
    const shutdown = () => {
        void sim.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
}
if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=cli.js.map