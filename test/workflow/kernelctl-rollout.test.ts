/**
 * `kernelctl rollout` end to end on the real dev server: the real CLI (a child process) reads an
 * Ansible inventory, validates, starts the rollout and watches it; a worker in this process runs
 * the real workflows with the fleet's stubbed activities (test/helpers/fleet.ts). Also
 * `rollout plan` (preflight of every host, nothing changed) and operator commands refused when
 * they do not apply.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Fleet, assertUpgraded, heldInAwait, hold, release, until, withFleet } from '../helpers/fleet';
import { kernelctlOn } from '../helpers/kernelctl';
import { NEW, OLD, stopOwnServer } from '../helpers/temporal';

after(stopOwnServer);

/** The real CLI against the dev server, on the fleet's task queue. */
const cli = (args: string[], taskQueue: string) => kernelctlOn(taskQueue, args);

/** An Ansible INI inventory of the fleet's hosts: a canary group and a web group. */
function inventory(names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kr-inv-'));
  const file = path.join(dir, 'hosts.ini');
  const [first, ...rest] = names;
  writeFileSync(
    file,
    [
      '[canary]',
      `${first} ansible_host=127.0.0.1`,
      '',
      '[web]',
      ...rest.map((n, i) => `${n} ansible_host=10.0.0.${i + 2} ansible_port=2222`),
      '',
      '[all:vars]',
      'ansible_user=root',
      '',
    ].join('\n'),
  );
  return file;
}

const common = (file: string): string[] => [
  '--inventory',
  file,
  '--no-ssh-config',
  '--to',
  NEW,
  '--stability',
  '0',
  '-i',
  '/nonexistent/id_ed25519',
];

describe('kernelctl rollout', () => {
  test('plan: preflight of every host, a table of what would happen, nothing changed', async () => {
    const fleet = new Fleet();
    const names = fleet.add(5);
    const file = inventory(names);
    const run = await withFleet(fleet, (h) =>
      cli(['rollout', 'plan', ...common(file), '--canary', '1', '--batch', '2'], h.taskQueue),
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^BATCH\s+HOST\s+ADDRESS\s+RUNNING\s+WOULD\s+NOTES$/);
    for (const [i, n] of names.entries()) {
      const row = lines.find((l) => l.includes(` ${n} `));
      const batch = i === 0 ? 1 : i <= 2 ? 2 : 3;
      assert.match(row ?? '', new RegExp(`^${batch}\\s+${n}\\s+\\S+\\s+${OLD}\\s+upgrade → ${NEW}`), n);
    }
    assert.match(
      run.stdout,
      /5 host\(s\) in 3 batch\(es\): 5 would upgrade, 0 already run .*, 0 refused, 0 unreachable/,
    );
    for (const n of names) {
      const calls = fleet.host(n).get().calls;
      assert.deepEqual(Object.keys(calls), ['preflight'], `${n}: preflight only`);
    }
  });

  test('rollout --wait: starts from the inventory, watches in plain lines, exits 0 when all upgraded', async () => {
    const fleet = new Fleet();
    const names = fleet.add(4);
    const file = inventory(names);
    const id = `cli-${fleet.prefix}`;
    const run = await withFleet(fleet, async (h) => {
      const started = await cli(
        ['rollout', ...common(file), '--canary', '1', '--batch', '50%', '--id', id, '--wait', '--max-failures', '1'],
        h.taskQueue,
      );
      // Operator commands on an ended rollout are refused with the reason, not ignored.
      const late = await cli(['rollout', 'approve', id], h.taskQueue);
      return { started, late };
    });
    assert.equal(run.started.code, 0, run.started.stderr + run.started.stdout);
    assert.match(run.started.stderr, new RegExp(`started kernel-rollout/${id}: 4 hosts`));
    const out = run.started.stdout;
    assert.match(out, /batch 1\/3 started: 1 host\(s\)/);
    assert.match(out, /batch 2\/3 started: 2 host\(s\)/);
    assert.match(out, /batch 3\/3 started: 1 host\(s\)/);
    for (const n of names) assert.match(out, new RegExp(`${n}: upgraded`), n);
    assert.match(out, new RegExp(`rollout ${id}: completed — 4 of 4 host\\(s\\) upgraded, 0 failed \\(budget 1\\)`));
    assert.doesNotMatch(out, /\x1b\[/, 'no terminal escapes when stdout is not a TTY');
    for (const n of names) assertUpgraded(fleet, n);
    assert.notEqual(run.late.code, 0);
    assert.match(run.late.stderr, /already ended; nothing to do/);
  });

  test('rollout --prepare-ahead: the next batch is staged while the canary reboots, and reboots after it', async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const [canary, next] = [names.slice(0, 1), names.slice(1)];
    const file = inventory(names);
    hold(fleet, canary);
    const run = await withFleet(fleet, async (h) => {
      const started = cli(
        [
          'rollout',
          ...common(file),
          '--canary',
          '1',
          '--batch',
          '2',
          '--prepare-ahead',
          '--id',
          `cli-pa-${fleet.prefix}`,
          '--wait',
        ],
        h.taskQueue,
      );
      await heldInAwait(fleet, canary);
      await until('the next batch staged while the canary is away', () =>
        next.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1),
      );
      for (const n of next) assert.equal(fleet.host(n).get().calls['rebootHost'] ?? 0, 0, `${n} waits for its turn`);
      release(fleet, canary);
      return started;
    });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    for (const n of names) assertUpgraded(fleet, n);
  });

  test('a bad inventory or flag is refused naming file, line and field; nothing starts', async () => {
    const fleet = new Fleet();
    const names = fleet.add(2);
    const file = inventory(names);
    const bad = path.join(path.dirname(file), 'bad.ini');
    writeFileSync(bad, `[web]\n${names[0]} ansible_port=99999\n`);
    const run = await withFleet(fleet, async (h) => ({
      inv: await cli(['rollout', ...common(bad)], h.taskQueue),
      flag: await cli(['rollout', ...common(file), '--batch', '0%', '--max-failures', 'lots'], h.taskQueue),
      limit: await cli(['rollout', ...common(file), '--limit', 'nosuchgroup'], h.taskQueue),
    }));
    assert.equal(run.inv.code, 2, run.inv.stderr);
    assert.match(run.inv.stderr, /bad\.ini:2: .*ansible_port/);
    assert.equal(run.flag.code, 2, run.flag.stderr);
    assert.match(run.flag.stderr, /strategy\.batches\[0\]/);
    assert.equal(run.limit.code, 2, run.limit.stderr);
    assert.match(run.limit.stderr, /nosuchgroup/);
    for (const n of names) assert.equal(fleet.touched(n), false, `${n} untouched`);
  });
});
