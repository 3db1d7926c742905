import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { andChain } from './shell';

describe('andChain: steps that run only while every one before succeeded (a real shell)', () => {
  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });

  test('a failed step stops the chain, even before a step with its own top-level ||', () => {
    const r = sh(andChain(['false', '[ -e /nonexistent-kr ] || echo rescued', 'echo after']));
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '', 'neither the || branch nor the next step ran');
    // The plain join this replaces lets the || catch the earlier failure:
    assert.equal(sh(['false', '[ -e /nonexistent-kr ] || echo rescued'].join(' && ')).stdout, 'rescued\n');
  });

  test('every step runs in order when each succeeds; a here-document step keeps its end line', () => {
    const heredoc = "cat <<'KR_EOF'\nfrom the document\nKR_EOF";
    const r = sh(andChain(['echo one', heredoc, 'echo two']));
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'one\nfrom the document\ntwo\n');
  });
});
