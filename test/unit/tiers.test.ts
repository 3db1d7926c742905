/**
 * The list of VM scenarios (test/e2e/tiers.ts) against the e2e files: every scenario is
 * selectable in the file the list names, every name a file selects is in the list under that
 * file, no file reads KERNEL_ROLLOUT_E2E itself, each scenario's test-name pattern matches one
 * of its file's test titles; and KERNEL_ROLLOUT_E2E's parsing. Read from the sources: nothing here
 * boots a VM.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  aliases,
  gatePairs,
  layers,
  parseSelection,
  platforms,
  primaryPlatform,
  scenarios,
  type Scenario,
} from '../e2e/tiers';

const e2eDir = path.join(__dirname, '..', '..', '..', 'test', 'e2e');
const source = (file: string): string => readFileSync(path.join(e2eDir, file), 'utf8');
const list: readonly Scenario[] = scenarios;

/** The names a file's source selects: `e2eSelected('x')` and `scenarioTest('x', …)`. */
export function selectedNames(text: string): string[] {
  return [...text.matchAll(/\b(?:e2eSelected|scenarioTest)\(\s*'([^']+)'/g)].map((m) => m[1]!);
}

/** Test titles a file's source can register: its string literals, and `scenarioTest(id, title)` as `${id}. ${title}`. */
function titles(text: string): string[] {
  const literals = [...text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1] ?? m[2] ?? '');
  const composed = [...text.matchAll(/scenarioTest\(\s*'([^']+)',\s*'([^']+)'/g)].map((m) => `${m[1]!}. ${m[2]!}`);
  return [...literals, ...composed];
}

describe('the scenario list', () => {
  test('names are unique; platforms and layers are known ones; each file exists', () => {
    const names = list.map((s) => s.name);
    assert.deepEqual(names, [...new Set(names)]);
    const files = readdirSync(e2eDir);
    for (const s of list) {
      assert.ok(files.includes(s.file), `${s.name}: ${s.file} is not in test/e2e`);
      assert.ok(s.platforms.length > 0, `${s.name}: no platform`);
      for (const p of s.platforms) assert.ok(Object.hasOwn(platforms, p), `${s.name}: platform ${p}`);
      for (const p of s.gate)
        assert.ok((s.platforms as readonly string[]).includes(p), `${s.name}: gate on ${p}, not one of its platforms`);
      for (const l of s.layers) assert.ok(Object.hasOwn(layers, l), `${s.name}: layer ${l}`);
    }
    for (const [alias, names] of Object.entries(aliases)) {
      assert.ok(!list.some((s) => s.name === alias), `alias ${alias} is also a scenario`);
      for (const n of names)
        assert.ok(
          list.some((s) => s.name === n),
          `alias ${alias}: ${n}`,
        );
    }
  });

  test('every scenario is selectable in its file, and every name an e2e file selects is in the list under it', () => {
    const problems: string[] = [];
    for (const s of list)
      if (!selectedNames(source(s.file)).includes(s.name)) problems.push(`${s.name}: not selected in ${s.file}`);
    for (const file of readdirSync(e2eDir).filter((f) => f.endsWith('.ts') && f !== 'tiers.ts')) {
      const text = source(file);
      for (const name of selectedNames(text))
        if (!list.some((s) => s.name === name && s.file === file))
          problems.push(`${file} selects ${name}, which the list does not give to it`);
      if (/process\.env\[['"]KERNEL_ROLLOUT_E2E['"]\]/.test(text))
        problems.push(`${file} reads KERNEL_ROLLOUT_E2E itself instead of e2eSelected`);
    }
    assert.deepEqual(problems, []);
  });

  test("each scenario's test-name pattern matches a title in its file, and no other scenario's", () => {
    for (const s of list) {
      const mine = titles(source(s.file)).filter((t) => s.tests.test(t));
      assert.ok(mine.length > 0, `${s.name}: ${String(s.tests)} matches no title in ${s.file}`);
      for (const other of list.filter((o) => o.file === s.file && o !== s))
        for (const t of mine)
          assert.ok(!other.tests.test(t), `${JSON.stringify(t)} matches ${s.name} and ${other.name}`);
    }
  });

  test('the gate proves every safety layer on the primary platform; on the others, an upgrade and a panic fallback', () => {
    const gated = (platform: string) =>
      list.filter((s) => (s.gate as readonly string[]).includes(platform)).flatMap((s) => s.layers);
    const proven = new Set(gated(primaryPlatform));
    assert.deepEqual(
      Object.keys(layers).filter((l) => l !== 'boot-counting' && !proven.has(l as keyof typeof layers)),
      [],
      `layers not in the gate on ${primaryPlatform}`,
    );
    for (const platform of Object.keys(platforms).filter((p) => p !== 'no-vm' && p !== primaryPlatform)) {
      const mine = new Set(gated(platform));
      for (const l of ['verified-commit', 'panic-reboot', 'one-shot'] as const)
        assert.ok(mine.has(l), `${platform}: the gate does not prove ${l}`);
    }
  });

  test("every layer a platform's loader has is proven on it by some scenario (gate or matrix)", () => {
    const onPlatform = (platform: string) =>
      new Set(list.filter((s) => (s.platforms as readonly string[]).includes(platform)).flatMap((s) => s.layers));
    assert.ok(onPlatform('systemd-boot').has('boot-counting'), 'systemd-boot: boot counting');
    for (const l of ['panic-reboot', 'revert-timer', 'power-driver', 'kexec', 'durable-run'] as const)
      assert.ok(onPlatform('systemd-boot').has(l), `systemd-boot: ${l}`);
  });
});

describe('KERNEL_ROLLOUT_E2E', () => {
  test("unset: the gate's pairs, every VM platform among them", () => {
    assert.deepEqual([...parseSelection(undefined)], gatePairs());
    for (const p of ['bios-grub', 'uefi-grub', 'systemd-boot'])
      assert.ok(
        gatePairs().some((k) => k.endsWith(`@${p}`)),
        `the gate runs something on ${p}`,
      );
  });

  test('names (on all their platforms), aliases, platforms, name@platform; spaces around commas; empty selects nothing', () => {
    assert.deepEqual(
      [...parseSelection('1, 4@bios-grub,conformance@bios-grub')],
      ['1@bios-grub', '1@uefi-grub', '1@systemd-boot', '4@bios-grub', 'conformance@bios-grub'],
    );
    assert.deepEqual(
      [...parseSelection('source-build')],
      ['source-build-kill@no-vm', 'source-build-upgrade@bios-grub', 'source-build-refused@bios-grub'],
    );
    assert.deepEqual(
      [...parseSelection('uefi-grub')],
      ['1@uefi-grub', '2@uefi-grub'],
      "KERNEL_ROLLOUT_E2E=uefi-grub: that platform's scenarios alone",
    );
    assert.ok([...parseSelection('systemd-boot')].every((k) => k.endsWith('@systemd-boot')));
    assert.deepEqual([...parseSelection('')], []);
  });

  test('an unknown name is refused, naming the variable, the name and the known ones', () => {
    assert.throws(
      () => parseSelection('1,conformence'),
      /^Error: KERNEL_ROLLOUT_E2E: "conformence" is no scenario or platform; known: 1, 2, .*conformance.*source-build.*systemd-boot.* \(or name@platform\)$/,
    );
  });
});
