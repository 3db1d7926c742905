import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { qmpExecute } from './qmp-client';

/** A QMP monitor on a Unix socket: greets, records each command, answers like qemu. */
async function fakeMonitor(answer: (cmd: { execute: string; arguments?: unknown }) => object) {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-test-'));
  const socketPath = path.join(dir, 'qmp.sock');
  const received: Array<{ execute: string; arguments?: unknown }> = [];
  const server: Server = createServer((sock) => {
    sock.write('{"QMP": {"version": {}, "capabilities": []}}\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const cmd = JSON.parse(buf.slice(0, nl)) as { execute: string; arguments?: unknown };
        buf = buf.slice(nl + 1);
        received.push(cmd);
        // An event before the reply, as qemu sends them: the client must skip it.
        sock.write('{"event": "RESET", "data": {}}\n');
        sock.write(`${JSON.stringify(answer(cmd))}\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return {
    socketPath,
    received,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('sends qmp_capabilities, then each command in order with its arguments; resolves with their replies', async () => {
  const m = await fakeMonitor((cmd) => ({ return: cmd.execute === 'query-status' ? { status: 'running' } : {} }));
  try {
    const replies = await qmpExecute(m.socketPath, ['stop', { execute: 'query-status', arguments: { x: 1 } }]);
    assert.deepEqual(m.received, [
      { execute: 'qmp_capabilities' },
      { execute: 'stop' },
      { execute: 'query-status', arguments: { x: 1 } },
    ]);
    assert.deepEqual(replies, [{ return: {} }, { return: { status: 'running' } }]);
  } finally {
    await m.close();
  }
});

test('an error reply rejects with its class and description, and later commands are not sent', async () => {
  const m = await fakeMonitor((cmd) =>
    cmd.execute === 'system_reset' ? { error: { class: 'GenericError', desc: 'nope' } } : { return: {} },
  );
  try {
    await assert.rejects(qmpExecute(m.socketPath, ['system_reset', 'cont']), /system_reset: GenericError: nope/);
    assert.deepEqual(
      m.received.map((c) => c.execute),
      ['qmp_capabilities', 'system_reset'],
    );
  } finally {
    await m.close();
  }
});

test('a socket nobody listens on rejects', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qmp-test-'));
  try {
    await assert.rejects(qmpExecute(path.join(dir, 'none.sock'), ['query-status'], 2000), /QMP .*none\.sock/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
