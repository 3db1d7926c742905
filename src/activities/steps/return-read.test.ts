import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostSession } from '../host';
import { RETURN_READ_MAX_AGE_MS, keepReturnRead, takeReturnRead } from './return-read';

/** The store keys on the connection object only: a bare object stands in for one. */
const session = (): HostSession => ({}) as HostSession;
const bootId = '3f1c9a52-8d5e-4b7a-9c1e-2a6f0d4b8e11';
const release = '6.1.0-56-cloud-amd64';
const checks = [{ kind: 'system-running', allowDegraded: false }];
const read = { 'uname-r': release, 'boot-id': bootId, cmdline: 'root=/dev/vda1 panic=10' };

describe('takeReturnRead: the poll’s read is used once, for exactly what it was taken for', () => {
  test('the same boot, kernel and checks: the read, then nothing (used once)', () => {
    const s = session();
    keepReturnRead(s, { bootId, release, checks, read });
    assert.deepEqual(takeReturnRead(s, { bootId, release }, checks), read);
    assert.equal(takeReturnRead(s, { bootId, release }, checks), undefined);
  });

  test('another connection, boot, kernel or set of checks: nothing, and the read is gone', () => {
    const other = session();
    const s = session();
    keepReturnRead(s, { bootId, release, checks, read });
    assert.equal(takeReturnRead(other, { bootId, release }, checks), undefined);
    for (const [trial, wanted] of [
      [{ bootId: '00000000-0000-0000-0000-000000000000', release }, checks],
      [{ bootId, release: '6.1.0-55-cloud-amd64' }, checks],
      [{ bootId, release }, []],
      [{ bootId, release }, [{ kind: 'system-running', allowDegraded: true }]],
    ] as const) {
      keepReturnRead(s, { bootId, release, checks, read });
      assert.equal(takeReturnRead(s, trial, wanted), undefined, JSON.stringify({ trial, wanted }));
      assert.equal(takeReturnRead(s, { bootId, release }, checks), undefined, 'dropped when it did not fit');
    }
  });

  test('a read whose own sections name another boot or kernel is not used', () => {
    const s = session();
    keepReturnRead(s, { bootId, release, checks, read: { ...read, 'boot-id': 'x' } });
    assert.equal(takeReturnRead(s, { bootId, release }, checks), undefined);
    keepReturnRead(s, { bootId, release, checks, read: { ...read, 'uname-r': '6.1.0-55-cloud-amd64' } });
    assert.equal(takeReturnRead(s, { bootId, release }, checks), undefined);
  });

  test(`older than ${RETURN_READ_MAX_AGE_MS / 1000} s: not used`, (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const s = session();
    keepReturnRead(s, { bootId, release, checks, read });
    t.mock.timers.tick(RETURN_READ_MAX_AGE_MS + 1);
    assert.equal(takeReturnRead(s, { bootId, release }, checks), undefined);
  });
});
