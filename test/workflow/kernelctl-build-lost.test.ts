/**
 * `kernelctl build watch` when the Temporal server goes away mid-watch: exit 7 (Temporal
 * unreachable), as for a server never reached, with a line that says so, not a raw gRPC error and
 * exit 1. A real dev server (in memory, its own) is SIGKILLed under a watching kernelctl; the build
 * workflow runs on a task queue no worker polls, so it stays RUNNING.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startBuild } from '../../src/client/build';
import { startDevServer } from '../../src/dev/temporal-server';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

test('build watch: the server SIGKILLed mid-watch → exit 7, "lost Temporal"', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kr-build-lost-'));
  const server = await startDevServer({ headless: true, logPath: path.join(dir, 'temporal.log') });
  try {
    const connection = await Connection.connect({ address: server.address });
    let id: string;
    try {
      ({ id } = await startBuild(new Client({ connection }), 'kr-nobody-polls', {
        buildHost: { host: 'builder', privateKeyPath: '/nonexistent/key', knownHostsPath: '/nonexistent/known_hosts' },
        source: { kind: 'debian-source', version: '6.1' },
        config: { kind: 'make', target: 'tinyconfig' },
      }));
    } finally {
      await connection.close();
    }
    const child = spawn(process.execPath, [kernelctl, 'build', 'watch', id, '--address', server.address], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    // Watching: its first progress line is out.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => /preparing the source and config/.test(stdout) && resolve());
      void exited.then((c) => reject(new Error(`watch ended early (${String(c)}):\n${stdout}\n${stderr}`)));
    });
    server.process.kill('SIGKILL');
    const code = await exited;
    assert.equal(code, 7, `exit 7:\n${stderr}`);
    assert.match(stderr, new RegExp(`^kernelctl: lost Temporal at ${server.address.replace(/\./g, '\\.')} `, 'm'));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
