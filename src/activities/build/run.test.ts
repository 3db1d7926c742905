/** runBuild's reading of the build directory's status (the command's output, parsed). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatus } from './run';

describe('parseStatus', () => {
  test('a running build: busy, objects compiled, elapsed from the first launch', () => {
    const st = parseStatus(
      'STATE busy\nLAUNCHES 1\nCC 412\nPKG 0\nSTARTED 1000\nNOW 1300\nLAST   CC      kernel/fork.o\n',
    );
    assert.equal(st.busy, true);
    assert.equal(st.compiled, 412);
    assert.equal(st.now - (st.startedAt ?? 0), 300);
    assert.equal(st.result, undefined);
    assert.equal(st.exitCode, undefined);
    assert.equal(st.lastLine, 'CC      kernel/fork.o');
  });
  test('a finished build: its result line, and no exit code mistaken for failure', () => {
    const st = parseStatus(
      'STATE idle\nRESULT {"deb":"/b/k/linux-image-6.1.192-kr1_6.1.192-kr1-1_amd64.deb","sha256":"' +
        'a'.repeat(64) +
        '","bytes":1,"buildSeconds":2,"launches":1}\nEXIT 0\nLAUNCHES 1\nCC 3\nPKG 1\nSTARTED 1\nNOW 2\nLAST x\n',
    );
    assert.equal(st.busy, false);
    assert.match(st.result ?? '', /linux-image-6\.1\.192-kr1/);
    assert.equal(st.exitCode, 0);
    assert.equal(st.packaging, true);
  });
  test('a failed build and one never started', () => {
    assert.equal(parseStatus('STATE idle\nEXIT 2\nLAUNCHES 1\nCC 0\nPKG 0\nSTARTED\nNOW 5\nLAST\n').exitCode, 2);
    const fresh = parseStatus('STATE idle\nLAUNCHES 0\nCC 0\nPKG 0\nSTARTED\nNOW 5\nLAST\n');
    assert.equal(fresh.busy, false);
    assert.equal(fresh.exitCode, undefined);
    assert.equal(fresh.launches, 0);
    assert.equal(fresh.startedAt, undefined);
  });
});
