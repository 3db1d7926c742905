/**
 * `--deb FILE --artifact-host HOST`: the flags. The publication on a real sshd:
 * artifact.ssh.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../shared/schemas';
import { artifactStoreFromFlags } from './artifact';

describe('--artifact-host flags', () => {
  test('absent: none; with --deb: the host and the default directory', () => {
    assert.equal(artifactStoreFromFlags({ deb: '/x.deb' }), undefined);
    const s = artifactStoreFromFlags({ deb: '/x.deb', 'artifact-host': 'ops@store1:2222' });
    assert.equal(s?.host.host, 'store1');
    assert.equal(s?.host.user, 'ops');
    assert.equal(s?.host.port, 2222);
    assert.equal(s?.dir, '/var/cache/kernel-rollout/artifacts');
  });
  test('refused, naming the flag: without --deb, a bad host, a directory with ..', () => {
    const refused = (v: Record<string, string>, re: RegExp) =>
      assert.throws(
        () => artifactStoreFromFlags(v),
        (e: Error) => e instanceof InvalidInputError && re.test(e.message),
      );
    refused({ 'artifact-host': 'store1' }, /^--artifact-host: only with --deb/);
    refused({ deb: '/x.deb', 'artifact-host': 'store1;reboot' }, /--artifact-host/);
    refused({ deb: '/x.deb', 'artifact-host': 'store1', 'artifact-dir': '/srv/../etc' }, /--artifact-dir/);
    refused({ 'artifact-dir': '/srv/a' }, /^--artifact-dir: only with --artifact-host/);
  });
});
