/**
 * `--deb FILE --artifact-host HOST`: the publication on a real sshd (loopback, root), after which
 * the artifact installer's fetch finds the same bytes. The flags: artifact.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sshdTarget, startSshd, type SshdHandle } from '../../testbed/sshd';
import { publishDeb } from './artifact';

describe('publishDeb on a real sshd', () => {
  let sshd: SshdHandle;
  let dir: string;
  before(async () => {
    sshd = await startSshd({ users: ['root'] });
    dir = mkdtempSync(path.join(tmpdir(), 'kr-publish-'));
  });
  after(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the file lands under <dir>/<sha256>/ intact; publishing again transfers nothing new', async () => {
    const local = path.join(dir, 'linux-image-6.1.192-web_1_amd64.deb');
    writeFileSync(local, 'a package\n');
    const sha256 = createHash('sha256').update('a package\n').digest('hex');
    const store = {
      host: sshdTarget(sshd, 'store'),
      dir: path.join(dir, 'store'),
    };
    const source = await publishDeb({ localPath: local, sha256 }, store);
    assert.equal(source.kind, 'artifact');
    assert.equal(source.path, path.join(dir, 'store', sha256, path.basename(local)));
    assert.equal(readFileSync(source.path, 'utf8'), 'a package\n');
    assert.deepEqual(await publishDeb({ localPath: local, sha256 }, store), source);
  });
});
