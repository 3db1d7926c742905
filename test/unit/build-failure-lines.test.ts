/**
 * A failed build's message quotes the lines of its log that say why: realistic `make bindeb-pkg`
 * failures (test/fixtures/build-logs), each with the lines that must be quoted in its header.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { MAX_CAUSE_LINES, causeLines } from '../../src/activities/build/failure-lines';

const DIR = path.resolve(__dirname, '../../../test/fixtures/build-logs');

describe('causeLines on real-looking build logs', () => {
  const logs = readdirSync(DIR).filter((f) => f.endsWith('.log'));
  test('there are fixtures', () => assert.ok(logs.length >= 5));
  for (const file of logs) {
    test(file, () => {
      const text = readFileSync(path.join(DIR, file), 'utf8');
      const expected = [...text.matchAll(/^# cause: (.*)$/gm)].map((m) => m[1]);
      const log = text.replace(/^# cause: .*\n/gm, '');
      const got = causeLines(log);
      assert.deepEqual(got, expected);
    });
  }
  test("kbuild's quiet lines never count, whatever the object is called", () => {
    const log = [
      '  CC      /b/obj/tools/objtool/str_error_r.o',
      '  CC      lib/error-inject.o',
      '  CC [M]  fs/ext4/error.o',
      '  HOSTCC  scripts/not_found.o',
    ].join('\n');
    assert.deepEqual(causeLines(log), []);
  });
  test('many errors: the first ones are quoted, and how many more there were', () => {
    const log = Array.from({ length: 50 }, (_, i) => `drivers/x.c:${i + 1}:1: error: expected ';'`).join('\n');
    const got = causeLines(log);
    assert.equal(got.length, MAX_CAUSE_LINES);
    assert.equal(got[0], "drivers/x.c:1:1: error: expected ';'");
    assert.equal(got.at(-1), `… and ${50 - MAX_CAUSE_LINES + 1} more such line(s)`);
  });
});
