/**
 * The build host's tools probed over SSH on a real sshd: a missing command, file or package is
 * refused with the command and the package that provides it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sshdTarget, startSshd, type SshdHandle } from '../../../testbed/sshd';
import { hostAccess, realDeps } from '../session';
import { checkRequirements, type Requirement } from './tools';

describe('checkRequirements on a real host over SSH', () => {
  let sshd: SshdHandle;
  const withHost = hostAccess(realDeps);
  before(async () => {
    sshd = await startSshd({ users: ['root'] });
  });
  after(async () => {
    await sshd?.stop();
  });

  test('a missing command, file and package are refused together; present ones pass', async () => {
    const reqs: Requirement[] = [
      { kind: 'command', name: 'sh', package: 'dash' },
      { kind: 'command', name: 'kr-no-such-pahole', package: 'kr-dwarves', why: 'CONFIG_DEBUG_INFO_BTF=y' },
      { kind: 'file', name: '/nonexistent/libelf.h', package: 'kr-libelf-dev' },
      { kind: 'package', name: 'dpkg', package: 'dpkg' },
      { kind: 'package', name: 'kr-not-installed', package: 'kr-not-installed' },
    ];
    await assert.rejects(
      withHost(sshdTarget(sshd, 'build-host'), (b) => checkRequirements(b, reqs)),
      (err: Error & { type?: string }) =>
        (err.type ?? err.name) === 'BuildHostNotReadyError' &&
        err.message.startsWith(
          'the build host lacks kr-no-such-pahole (CONFIG_DEBUG_INFO_BTF=y), /nonexistent/libelf.h, kr-not-installed; ' +
            'install them there: apt-get install kr-dwarves kr-libelf-dev kr-not-installed',
        ),
    );
    await withHost(sshdTarget(sshd, 'build-host'), (b) =>
      checkRequirements(
        b,
        reqs.filter((r) => !r.name.includes('kr-') && !r.name.startsWith('/nonexistent')),
      ),
    );
  });
});
