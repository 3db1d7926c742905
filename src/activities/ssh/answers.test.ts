import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { after, describe, test } from 'node:test';
import { sshServerAnswers } from './answers';

/** A listener on 127.0.0.1 that does `onConnection` with each connection. */
async function listener(onConnection: (s: net.Socket) => void): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, server };
}

describe('sshServerAnswers', () => {
  const servers: net.Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  test('a server that sends its identification answers', async () => {
    const { port, server } = await listener((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    servers.push(server);
    assert.equal(await sshServerAnswers('127.0.0.1', port, 2000), 'answers');
  });

  test('a port that accepts and closes without a word does not answer', async () => {
    const { port, server } = await listener((s) => s.destroy());
    servers.push(server);
    assert.equal(await sshServerAnswers('127.0.0.1', port, 2000), 'no');
  });

  test('a port that accepts and stays silent is silent after the timeout', async () => {
    const held: net.Socket[] = [];
    const { port, server } = await listener((s) => held.push(s));
    servers.push(server);
    const started = Date.now();
    assert.equal(await sshServerAnswers('127.0.0.1', port, 300), 'silent');
    assert.ok(Date.now() - started >= 290, 'gave up before the timeout');
    held.forEach((s) => s.destroy());
  });

  test('an event loop stalled past the timeout still sees the connection that was accepted meanwhile', async () => {
    // The server in its own process: it accepts and answers while this one is stalled.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').createServer((c) => c.end('SSH-2.0-OpenSSH_9.2\\r\\n'));
         s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const port = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d)))));
      const answer = sshServerAnswers('127.0.0.1', port, 50);
      const until = Date.now() + 400;
      while (Date.now() < until) {
        // A worker busy for 400 ms: the probe's 50 ms timer and its connection are both due after it.
      }
      assert.notEqual(await answer, 'no', 'an accepted connection was reported as refused');
    } finally {
      child.kill();
    }
  });

  test('a closed port does not answer', async () => {
    const { port, server } = await listener(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(await sshServerAnswers('127.0.0.1', port, 2000), 'no');
  });
});
