import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, describe, test } from 'node:test';
import { firstBanner } from './banner';

const BANNER = 'SSH-2.0-OpenSSH_9.2\r\n';

/** A listener on 127.0.0.1 that calls `onConnection` with each connection and its number (1, 2, …). */
async function listener(onConnection: (s: net.Socket, n: number) => void) {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onConnection(s, sockets.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, server, sockets };
}

describe('firstBanner', () => {
  const servers: { server: net.Server; sockets: net.Socket[] }[] = [];
  after(() =>
    servers.forEach(({ server, sockets }) => {
      sockets.forEach((s) => s.destroy());
      server.close();
    }),
  );

  test('a connection held silent (a stale port forward) does not hide a server that answers fresh ones', async () => {
    // The first connection is accepted and never spoken to, as qemu's port forward holds one
    // opened while its guest's network was down; every later one gets the banner at once.
    const l = await listener((s, n) => {
      if (n > 1) s.write(BANNER);
    });
    servers.push(l);
    const outcome = await firstBanner('127.0.0.1', l.port, 3000, { gapMs: 50 });
    assert.equal(outcome.kind, 'banner', `got ${outcome.kind}`);
    if (outcome.kind === 'banner') {
      assert.equal(outcome.chunk.toString(), BANNER);
      outcome.sock.destroy();
    }
    assert.equal(l.sockets.length, 2, 'a fresh connection after one gap, and no more');
  });

  test('the bytes stay readable: the winner is paused with its first chunk handed back', async () => {
    const l = await listener((s) => s.write(BANNER));
    servers.push(l);
    const outcome = await firstBanner('127.0.0.1', l.port, 3000);
    assert.equal(outcome.kind, 'banner');
    if (outcome.kind !== 'banner') return;
    assert.equal(outcome.sock.isPaused(), true);
    assert.equal(outcome.sock.destroyed, false);
    outcome.sock.destroy();
    assert.equal(l.sockets.length, 1, 'a server that answers at once gets one connection');
  });

  test('the newest connection refused: refused, with its code, although an older one still waits', async () => {
    const l = await listener(() => undefined);
    servers.push(l);
    // The first connection is accepted and held; then the port closes: the next one is refused.
    l.server.once('connection', () => l.server.close());
    const outcome = await firstBanner('127.0.0.1', l.port, 3000, { gapMs: 50 });
    assert.equal(outcome.kind, 'refused', `got ${outcome.kind}`);
    if (outcome.kind === 'refused') assert.equal(outcome.error?.code, 'ECONNREFUSED');
  });

  test('an older connection closed without a word is dropped, not taken for a refusal', async () => {
    const l = await listener((s, n) => {
      if (n === 2) {
        l.sockets[0]?.destroy();
        // After the first one's close has reached the client.
        setTimeout(() => s.write(BANNER), 100);
      }
    });
    servers.push(l);
    const outcome = await firstBanner('127.0.0.1', l.port, 3000, { gapMs: 50 });
    assert.equal(outcome.kind, 'banner', `got ${outcome.kind}`);
    if (outcome.kind === 'banner') outcome.sock.destroy();
  });

  test('a port that accepts and never speaks is silent; fresh connections keep coming, the oldest closed for room', async () => {
    let openNow = 0;
    let peak = 0;
    const l = await listener((s) => {
      openNow += 1;
      peak = Math.max(peak, openNow);
      s.once('close', () => (openNow -= 1));
    });
    servers.push(l);
    const outcome = await firstBanner('127.0.0.1', l.port, 600, { gapMs: 50, maxOpen: 3 });
    assert.equal(outcome.kind, 'silent');
    // One at once and one every 50 ms: about twelve in 600 ms (fewer on a loaded machine).
    assert.ok(l.sockets.length >= 6, `only ${l.sockets.length} connections`);
    // The oldest is closed as the fresh one opens; the server may see the two in either order.
    assert.ok(peak <= 4, `${peak} open at once`);
    await Promise.all(l.sockets.map((s) => (s.destroyed ? undefined : new Promise((r) => s.once('close', r)))));
  });
});
