/**
 * Every folder says what it is for, one way: the header comment of its index.ts where it has one
 * (the module that speaks for the folder), else a short README.md. Checked for every folder under
 * src/, bench/, sim/, testbed/ and test/ (test/fixtures itself, not the captured data below it).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..', '..');

/** The folders that must carry a note, relative to the repository's root. */
const TREES = ['src', 'bench', 'sim', 'testbed', 'test'];

/** Below these, folders are data (captured outputs, recorded histories), described by the folder above. */
const DATA = new Set(['test/fixtures']);

/** The fewest characters of prose a note must have to say anything. */
const MIN_NOTE = 40;

/**
 * A folder's note, or why it has none: the text of index.ts's leading comment (before any code),
 * else README.md's text.
 */
function folderNote(dir: string): { note: string } | { missing: string } {
  const index = path.join(dir, 'index.ts');
  if (exists(index)) {
    const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(readFileSync(index, 'utf8'));
    const text = m?.[1]?.replace(/^\s*\*/gm, ' ').trim() ?? '';
    return text.length >= MIN_NOTE
      ? { note: text }
      : { missing: 'index.ts does not start with a comment saying what the folder is for' };
  }
  const readme = path.join(dir, 'README.md');
  if (exists(readme)) {
    const text = readFileSync(readme, 'utf8').replace(/^#.*$/gm, '').trim();
    return text.length >= MIN_NOTE ? { note: text } : { missing: 'README.md says nothing beyond its title' };
  }
  return { missing: 'neither an index.ts with a header comment nor a README.md' };
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** `rel` and every folder below it, relative to the root, not descending into DATA. */
function folders(rel: string): string[] {
  if (DATA.has(rel)) return [rel];
  const below = readdirSync(path.join(root, rel), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => folders(`${rel}/${e.name}`));
  return [rel, ...below];
}

test('every folder of src/, bench/, sim/, testbed/ and test/ says what it is for', () => {
  const all = TREES.flatMap(folders);
  assert.ok(all.includes('src/activities/steps') && all.includes('test/unit'), `walked: ${all.join(', ')}`);
  const missing = all.flatMap((rel) => {
    if (rel === 'src') return []; // README.md's layout table speaks for src/ itself
    const r = folderNote(path.join(root, rel));
    return 'missing' in r ? [`${rel}: ${r.missing}`] : [];
  });
  assert.deepEqual(missing, []);
});

test('a folder without a note, or with an index.ts that starts with code, is told apart', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'kr-folder-notes-'));
  try {
    const dir = (name: string) => {
      mkdirSync(path.join(tmp, name));
      return path.join(tmp, name);
    };
    const bare = dir('bare');
    writeFileSync(path.join(bare, 'a.ts'), 'export const a = 1;\n');
    assert.ok('missing' in folderNote(bare));

    const code = dir('code');
    writeFileSync(
      path.join(code, 'index.ts'),
      "export { a } from './a';\n/** too late to be the folder's note, and short */\n",
    );
    assert.ok('missing' in folderNote(code));

    const title = dir('title');
    writeFileSync(path.join(title, 'README.md'), '# title\n');
    assert.ok('missing' in folderNote(title));

    const headed = dir('headed');
    writeFileSync(
      path.join(headed, 'index.ts'),
      '/**\n * The drivers of one seam, one module each, and their registry.\n */\nexport {};\n',
    );
    assert.deepEqual(folderNote(headed), { note: 'The drivers of one seam, one module each, and their registry.' });

    const readme = dir('readme');
    writeFileSync(
      path.join(readme, 'README.md'),
      "# readme\n\nThe simulated hosts' boot-layer tools, run in their sandboxes.\n",
    );
    assert.ok('note' in folderNote(readme));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
