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
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
(0, node_test_1.describe)('fleet simulator CLI', () => {
    (0, node_test_1.it)('starts N hosts, prints an ssh config that a real ssh uses, stops on SIGTERM', async () => {
        const cli = (0, node_child_process_1.spawn)(process.execPath, [path.join(__dirname, '..', '..', 'sim', 'cli.js'), '--hosts', '2', '--boot-seconds', '1'], {
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        await new Promise((resolve, reject) => {
            cli.stdout.on('data', (d) => {
                out += d.toString();
                if (/Host sim-002[\s\S]*StrictHostKeyChecking yes/.test(out))
                    resolve();
            });
            cli.on('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
        });
        const config = /ssh -F (\S+) /.exec(out)?.[1];
        strict_1.default.ok(config);
        const r = await new Promise((resolve, reject) => {
            const s = (0, node_child_process_1.spawn)('ssh', ['-F', config, '-o', 'BatchMode=yes', 'sim-002', 'hostname; uname -r'], {
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            let o = '';
            let e = '';
            s.stdout.on('data', (d) => (o += d.toString()));
            s.stderr.on('data', (d) => (e += d.toString()));
            s.on('exit', (code) => (code === 0 ? resolve(o) : reject(new Error(`ssh exited ${code}: ${e}`))));
        });
        strict_1.default.equal(r, 'sim-002\n6.1.0-55-cloud-amd64\n');
        const exited = new Promise((resolve) => cli.on('exit', resolve));
        cli.kill('SIGTERM');
        strict_1.default.equal(await exited, 0);
    });
});
//# sourceMappingURL=cli.test.js.map