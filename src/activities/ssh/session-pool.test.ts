import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostSession } from '../host';
import { SessionPool } from './session-pool';

/** A session that only knows whether it is open: the pool never runs a command. */
function session(): HostSession & { closes: number; open: boolean } {
  const s = {
    closes: 0,
    open: true,
    exec: () => Promise.reject(new Error('not used')),
    run: () => Promise.reject(new Error('not used')),
    upload: () => Promise.reject(new Error('not used')),
    close() {
      s.closes += 1;
      s.open = false;
    },
    isOpen: () => s.open,
  };
  return s;
}

const web1 = { host: 'web1', address: '10.0.0.1', port: 22, user: 'root' };

test('session pool: a kept session is lent again only for the very same target, once', () => {
  const pool = new SessionPool(60_000);
  const s = session();
  pool.give(web1, s);
  assert.equal(pool.take({ ...web1, port: 2222 }), undefined, 'another port');
  assert.equal(pool.take({ ...web1, user: 'admin' }), undefined, 'another user');
  assert.equal(pool.take({ ...web1, knownHostsPath: '/tmp/kh' } as typeof web1), undefined, 'another known_hosts');
  // The same input with its keys in another order is the same target.
  assert.equal(pool.take({ user: 'root', port: 22, address: '10.0.0.1', host: 'web1' }), s);
  assert.equal(pool.take(web1), undefined, 'lent to one activity at a time');
  assert.equal(s.closes, 0);
  pool.closeAll();
});

test('session pool: a session that closed while idle is dropped, not lent', () => {
  const pool = new SessionPool(60_000);
  const s = session();
  pool.give(web1, s);
  s.open = false; // the host went down
  assert.equal(pool.take(web1), undefined);
  assert.equal(pool.size, 0);
});

test('session pool: a closed session is not kept, and one without isOpen never is', () => {
  const pool = new SessionPool(60_000);
  const closed = session();
  closed.open = false;
  pool.give(web1, closed);
  const { isOpen: _ignored, ...fake } = session();
  pool.give(web1, fake);
  assert.equal(pool.size, 0);
});

test('session pool: forget closes every idle session to the host (before a reboot or power cycle)', () => {
  const pool = new SessionPool(60_000);
  const a = session();
  const b = session();
  const other = session();
  pool.give(web1, a);
  pool.give({ ...web1, user: 'admin' }, b);
  pool.give({ ...web1, host: 'web2' }, other);
  pool.forget('web1');
  assert.equal(a.closes + b.closes, 2);
  assert.equal(pool.size, 1);
  assert.equal(pool.take({ ...web1, host: 'web2' }), other);
});

test('session pool: idle sessions close after the idle time, and the oldest makes room', async () => {
  const pool = new SessionPool(20, 2);
  const [a, b, c] = [session(), session(), session()];
  pool.give({ ...web1, host: 'a' }, a);
  pool.give({ ...web1, host: 'b' }, b);
  pool.give({ ...web1, host: 'c' }, c);
  assert.equal(a.closes, 1, 'the oldest closed to keep two');
  assert.equal(pool.size, 2);
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (pool.size === 0) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  assert.equal(b.closes + c.closes, 2);
});
