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
exports.handWrittenShapes = handWrittenShapes;
/**
 * The SSH target has one shape: the zod `sshTargetSchema` (and `sshHopSchema`, its endpoint) in
 * src/shared/schema-fields.ts. The types are inferred from it (src/shared/types.ts) and the
 * transport's shape is derived from those (src/activities/ssh/connection.ts): no interface or
 * object type in src/ spells the endpoint's fields out again. Read with the TypeScript compiler's
 * parser; a type is a hand-written copy when it declares, as plain values, three or more of the
 * endpoint's fields that say how to log in and how the host key is checked (types that carry other
 * things under those names, such as the inventory's `Sourced<…>` settings, are not copies).
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const ts = __importStar(require("typescript"));
const schema_fields_1 = require("../../src/shared/schema-fields");
const root = path.join(__dirname, '..', '..', '..');
const FIELDS = new Set(Object.keys(schema_fields_1.sshHopSchema.shape));
const LOGIN_FIELDS = new Set(['privateKeyPath', 'agentSocket', 'knownHostsPath', 'hostKeySha256', 'trustOnFirstUse']);
/** A member's declared type is a plain value (not a generic wrapper such as `Sourced<string>`). */
const plain = (m) => ts.isPropertySignature(m) && !!m.type && !(ts.isTypeReferenceNode(m.type) && m.type.typeArguments);
function srcFiles(dir) {
    return (0, node_fs_1.readdirSync)(dir)
        .map((n) => path.join(dir, n))
        .flatMap((p) => (0, node_fs_1.statSync)(p).isDirectory() ? srcFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []);
}
/** Interfaces and object types of `text` that declare three or more of the endpoint's login fields. */
function handWrittenShapes(file, text) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found = [];
    const visit = (n) => {
        if (ts.isInterfaceDeclaration(n) || ts.isTypeLiteralNode(n)) {
            const names = n.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) && plain(m) ? [m.name.text] : []));
            const ssh = names.filter((name) => LOGIN_FIELDS.has(name));
            if (ssh.length >= 3) {
                const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
                found.push(`${file}:${line}: declares ${ssh.join(', ')}`);
            }
        }
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return found;
}
(0, node_test_1.test)('no type in src/ spells the SSH endpoint out by hand', () => {
    const found = srcFiles(path.join(root, 'src')).flatMap((f) => handWrittenShapes(path.relative(root, f), (0, node_fs_1.readFileSync)(f, 'utf8')));
    strict_1.default.deepEqual(found, []);
});
(0, node_test_1.test)('the check finds a hand-written copy', () => {
    const copy = 'export interface SshTarget { host: string; port: number; user: string; privateKeyPath?: string; agentSocket?: string; knownHostsPath?: string }';
    strict_1.default.equal(handWrittenShapes('x.ts', copy).length, 1);
    strict_1.default.deepEqual(handWrittenShapes('x.ts', 'export type SshJumpHost = Omit<SshHop, "address">;'), []);
    const sourced = 'interface S { privateKeyPath?: Sourced<string>; agentSocket?: Sourced<string>; knownHostsPath?: Sourced<string> }';
    strict_1.default.deepEqual(handWrittenShapes('x.ts', sourced), []);
});
(0, node_test_1.test)('a parsed target is the inferred type, and the transport takes it without `address`', () => {
    const parsed = schema_fields_1.sshTargetSchema.parse({
        host: 'web-01',
        address: '127.0.0.1',
        jumpHosts: [{ host: 'bastion' }],
    });
    strict_1.default.deepEqual(parsed, {
        host: 'web-01',
        address: '127.0.0.1',
        port: 22,
        user: 'root',
        trustOnFirstUse: false,
        jumpHosts: [{ host: 'bastion', port: 22, user: 'root', trustOnFirstUse: false }],
    });
    const hop = parsed.jumpHosts?.[0];
    strict_1.default.ok(hop);
    const { address: _address, ...dialled } = hop;
    const jump = dialled;
    const target = { ...jump, jumpHosts: [jump], connectTimeoutMs: 1000 };
    strict_1.default.equal(target.jumpHosts?.length, 1);
    // A bastion has the target's fields, less its own chain.
    strict_1.default.deepEqual(Object.keys(schema_fields_1.sshTargetSchema.shape).filter((k) => !FIELDS.has(k)), ['jumpHosts']);
});
//# sourceMappingURL=ssh-target-shape.test.js.map