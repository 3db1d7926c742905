import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import type { main as cliMain } from '../../sim/cli';
import type { main as powerMain } from '../../sim/power';
import type { main as benchMain } from '../../sim/bench-capacity';

// The CLIs are compiled with the tests (tsconfig includes test/**, and these imports pull sim/ in).
export type Entrypoints = [typeof cliMain, typeof powerMain, typeof benchMain];

describe('fleet simulator CLI', () => {
  it('starts N hosts, prints an ssh config that a real ssh uses, stops on SIGTERM', async () => {
    const cli = spawn(
      process.execPath,
      [path.join(__dirname, '..', '..', 'sim', 'cli.js'), '--hosts', '2', '--boot-seconds', '1'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Host sim-002[\s\S]*StrictHostKeyChecking yes/.test(out)) resolve();
      });
      cli.on('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
    });
    const config = /ssh -F (\S+) /.exec(out)?.[1];
    assert.ok(config);
    const r = await new Promise<string>((resolve, reject) => {
      const s = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', 'sim-002', 'hostname; uname -r'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let o = '';
      let e = '';
      s.stdout.on('data', (d: Buffer) => (o += d.toString()));
      s.stderr.on('data', (d: Buffer) => (e += d.toString()));
      s.on('exit', (code) => (code === 0 ? resolve(o) : reject(new Error(`ssh exited ${code}: ${e}`))));
    });
    assert.equal(r, 'sim-002\n6.1.0-55-cloud-amd64\n');
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    cli.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
