/** `kernelctl build`'s flags as a build spec, and the build id they name. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildInputFromFlags } from '../../src/cli/build';
import { buildIdOf } from '../../src/client/build';
import type { BuildKernelInput } from '../../src/shared/build-schemas';

const FLAGS = {
  'build-host': 'root@builder',
  source: 'debian:6.1',
  config: 'make:tinyconfig',
  'known-hosts': '/etc/ssh/ssh_known_hosts',
};

describe('kernelctl build --rebuild', () => {
  test('asks for a rebuild, under the same build id as the failed build', async () => {
    const plain = (await buildInputFromFlags(FLAGS)) as BuildKernelInput;
    const again = (await buildInputFromFlags({ ...FLAGS, rebuild: true })) as BuildKernelInput;
    assert.equal(plain.rebuild, undefined);
    assert.equal(again.rebuild, true);
    assert.equal(buildIdOf(again), buildIdOf(plain));
  });
});
