/**
 * The SSH target has one shape: the zod `sshTargetSchema` (and `sshHopSchema`, its endpoint) in
 * src/shared/schema-fields.ts. The types are inferred from it (src/shared/types.ts) and the
 * transport's shape is derived from those (src/activities/ssh/connection.ts): no interface or
 * object type in src/ spells the endpoint's fields out again. Read with the TypeScript compiler's
 * parser; a type is a hand-written copy when it declares, as plain values, three or more of the
 * endpoint's fields that say how to log in and how the host key is checked (types that carry other
 * things under those names, such as the inventory's `Sourced<…>` settings, are not copies).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { sshHopSchema, sshTargetSchema } from '../../src/shared/schema-fields';
import type { SshHop, SshTargetInput } from '../../src/shared/types';
import type { SshJumpHost, SshTarget } from '../../src/activities/ssh';

const root = path.join(__dirname, '..', '..', '..');
const FIELDS = new Set(Object.keys(sshHopSchema.shape));
const LOGIN_FIELDS = new Set(['privateKeyPath', 'agentSocket', 'knownHostsPath', 'hostKeySha256', 'trustOnFirstUse']);

/** A member's declared type is a plain value (not a generic wrapper such as `Sourced<string>`). */
const plain = (m: ts.TypeElement): boolean =>
  ts.isPropertySignature(m) && !!m.type && !(ts.isTypeReferenceNode(m.type) && m.type.typeArguments);

function srcFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((n) => path.join(dir, n))
    .flatMap((p) =>
      statSync(p).isDirectory() ? srcFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [],
    );
}

/** Interfaces and object types of `text` that declare three or more of the endpoint's login fields. */
export function handWrittenShapes(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
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

test('no type in src/ spells the SSH endpoint out by hand', () => {
  const found = srcFiles(path.join(root, 'src')).flatMap((f) =>
    handWrittenShapes(path.relative(root, f), readFileSync(f, 'utf8')),
  );
  assert.deepEqual(found, []);
});

test('the check finds a hand-written copy', () => {
  const copy =
    'export interface SshTarget { host: string; port: number; user: string; privateKeyPath?: string; agentSocket?: string; knownHostsPath?: string }';
  assert.equal(handWrittenShapes('x.ts', copy).length, 1);
  assert.deepEqual(handWrittenShapes('x.ts', 'export type SshJumpHost = Omit<SshHop, "address">;'), []);
  const sourced =
    'interface S { privateKeyPath?: Sourced<string>; agentSocket?: Sourced<string>; knownHostsPath?: Sourced<string> }';
  assert.deepEqual(handWrittenShapes('x.ts', sourced), []);
});

test('a parsed target is the inferred type, and the transport takes it without `address`', () => {
  const parsed: SshTargetInput = sshTargetSchema.parse({
    host: 'web-01',
    address: '127.0.0.1',
    jumpHosts: [{ host: 'bastion' }],
  });
  assert.deepEqual(parsed, {
    host: 'web-01',
    address: '127.0.0.1',
    port: 22,
    user: 'root',
    trustOnFirstUse: false,
    jumpHosts: [{ host: 'bastion', port: 22, user: 'root', trustOnFirstUse: false }],
  });
  const hop: SshHop | undefined = parsed.jumpHosts?.[0];
  assert.ok(hop);
  const { address: _address, ...dialled } = hop;
  const jump: SshJumpHost = dialled;
  const target: SshTarget = { ...jump, jumpHosts: [jump], connectTimeoutMs: 1000 };
  assert.equal(target.jumpHosts?.length, 1);
  // A bastion has the target's fields, less its own chain.
  assert.deepEqual(
    Object.keys(sshTargetSchema.shape).filter((k) => !FIELDS.has(k)),
    ['jumpHosts'],
  );
});
