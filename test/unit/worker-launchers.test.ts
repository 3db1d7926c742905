/**
 * Every launcher of the worker bounds glibc's malloc arenas (src/worker/index.ts says why): the
 * image's environment, and deploy/single-machine/run-worker.sh run for real with a stand-in for
 * node that prints what it was given. `kernelctl worker` says so when its launcher did not.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/dev/temporal-server';
import { MALLOC_ARENA_MAX_FOR_WORKERS, WORKER_V8_FLAGS, mallocArenaNotice } from '../../src/worker';

const ROOT = projectRoot();

/** run-worker.sh with `env` on top of a clean environment; returns the stand-in node's output. */
function runWorkerScript(env: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-launcher-'));
  try {
    const node = path.join(dir, 'node');
    fs.writeFileSync(node, '#!/bin/sh\necho "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} args=$*"\n', { mode: 0o755 });
    const profile = path.join(dir, 'temporal.toml');
    fs.writeFileSync(profile, '');
    const settings = path.join(dir, 'kernel-rollout.env');
    fs.writeFileSync(settings, env['SETTINGS'] ?? '');
    const { SETTINGS: _settings, ...rest } = env;
    return execFileSync('/bin/sh', [path.join(ROOT, 'deploy/single-machine/run-worker.sh')], {
      env: {
        PATH: process.env['PATH'],
        NODE: node,
        TEMPORAL_CONFIG_FILE: profile,
        KERNEL_ROLLOUT_ENV: settings,
        ...rest,
      },
      encoding: 'utf8',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the worker launchers bound malloc arenas', () => {
  test('run-worker.sh exports the default, and the environment or settings file may change it', () => {
    assert.match(
      runWorkerScript({}),
      new RegExp(`^MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX_FOR_WORKERS} args=.*bin/kernelctl.js worker`),
    );
    assert.match(runWorkerScript({ MALLOC_ARENA_MAX: '4' }), /^MALLOC_ARENA_MAX=4 /);
    assert.match(runWorkerScript({ SETTINGS: 'MALLOC_ARENA_MAX=3\n' }), /^MALLOC_ARENA_MAX=3 /);
  });

  test('the image sets it in its final stage', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(finalStage, new RegExp(`^ENV MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX_FOR_WORKERS}$`, 'm'));
  });

  test('kernelctl worker names the variable when it is unset, and says nothing when set', () => {
    assert.match(mallocArenaNotice({}) ?? '', /MALLOC_ARENA_MAX is not set.*MALLOC_ARENA_MAX=2/s);
    assert.equal(mallocArenaNotice({ MALLOC_ARENA_MAX: '8' }), undefined);
  });
});

describe('the worker’s V8 heap tuning (tuneHeapForWorkers)', () => {
  /**
   * A fresh node process: a worker thread's heap limit before and after the tuning (its young
   * generation's maximum is part of it), and the flags the call set.
   */
  function threadHeapLimits(nodeArgs: string[]): { before: number; after: number; set: string[] } {
    const worker = require.resolve('../../src/worker');
    const script = `
      const { Worker } = require('node:worker_threads');
      const limit = () => new Promise((resolve) => {
        const w = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)", { eval: true });
        w.once('message', (m) => { resolve(m); w.terminate(); });
      });
      (async () => {
        const before = await limit();
        const set = require(${JSON.stringify(worker)}).tuneHeapForWorkers();
        const after = await limit();
        console.log(JSON.stringify({ before, after, set }));
      })();`;
    return JSON.parse(execFileSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8' })) as {
      before: number;
      after: number;
      set: string[];
    };
  }

  test('sets both flags; a workflow thread started after has the smaller young generation', () => {
    const r = threadHeapLimits([]);
    assert.deepEqual(r.set, [...WORKER_V8_FLAGS]);
    assert.ok(r.after < r.before, `thread heap limit ${r.after} < ${r.before}`);
  });

  test('a flag the process was started with stays the operator’s', () => {
    const r = threadHeapLimits(['--heap-growing-percent=50', '--max-semi-space-size=16']);
    assert.deepEqual(r.set, []);
    assert.equal(r.after, r.before);
  });
});
