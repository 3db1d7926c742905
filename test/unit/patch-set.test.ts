/**
 * The workflows ask every change through isPatched (src/workflows/patches.ts): the set's marker
 * stands for exactly the patch ids the workflows declare, apart from those listed as added after
 * it, and no module calls `patched()` around it (each such call would record its own marker).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PATCHES_AFTER_THE_SETS, PATCH_SETS } from '../../src/workflows/patches';

const workflows = path.join(__dirname, '..', '..', '..', 'src', 'workflows');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith('.ts') && !n.endsWith('.test.ts') ? [p] : [];
  });
}

/** Every `…_PATCH = 'id'` the workflow modules declare: id → the file that declares it. */
function declaredPatchIds(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of sources(workflows)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b[A-Z0-9_]+_PATCH\s*=\s*'([^']+)'/g)) {
      ids.set(m[1] ?? '', path.relative(workflows, file));
    }
  }
  return ids;
}

test('the newest patch set stands for exactly the declared patches, apart from the ones added after it', () => {
  const declared = declaredPatchIds();
  const newest = PATCH_SETS[0]?.ids ?? new Set<string>();
  assert.ok(declared.size >= 18, `found ${declared.size} patch ids in src/workflows`);
  for (const [id, file] of declared) {
    assert.ok(
      newest.has(id) || PATCHES_AFTER_THE_SETS.has(id),
      `${id} (${file}) is in neither the newest set nor PATCHES_AFTER_THE_SETS: a new patch goes in PATCHES_AFTER_THE_SETS or a new set`,
    );
  }
  for (const id of [...newest, ...PATCHES_AFTER_THE_SETS]) {
    assert.ok(declared.has(id), `${id} is listed in src/workflows/patches.ts but declared nowhere`);
  }
  for (const id of PATCHES_AFTER_THE_SETS) assert.ok(!newest.has(id), `${id} is in both lists`);
});

test('each patch set holds every id of the set before it, and each marker is its own', () => {
  const markers = PATCH_SETS.map((s) => s.marker);
  assert.equal(new Set(markers).size, markers.length, `markers repeat: ${markers.join(', ')}`);
  for (let i = 0; i + 1 < PATCH_SETS.length; i++) {
    const [newer, older] = [PATCH_SETS[i], PATCH_SETS[i + 1]];
    const dropped = [...(older?.ids ?? [])].filter((id) => !newer?.ids.has(id));
    assert.deepEqual(
      dropped,
      [],
      `${newer?.marker} drops ids of ${older?.marker}: a run recorded with it would turn back`,
    );
    assert.ok(!newer?.ids.has(older?.marker ?? ''), 'a set does not stand for a marker');
  }
});

test('no workflow module calls patched() but through isPatched', () => {
  const direct = sources(workflows)
    .filter((f) => path.basename(f) !== 'patches.ts')
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(workflows, f)}:${i + 1}` }))
        .filter(({ line }) => /(?<![\w.])(patched|deprecatePatch)\(/.test(line) && !/^\s*(\*|\/\/)/.test(line)),
    )
    .map(({ at, line }) => `${at}: ${line.trim()}`);
  assert.deepEqual(direct, []);
});
