/**
 * A bad-input refusal says what the refused command did not do: `status` and `watch` only read
 * (they start nothing), `upgrade` would have started an upgrade. Each refusal happens before any
 * connection: a TCP listener stands in for Temporal and counts connections.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

describe('kernelctl: the bad-input refusal is worded per command', () => {
  let server: Server;
  let address = '';
  let connections = 0;
  before(async () => {
    server = createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  async function refused(args: string[]): Promise<string> {
    const child = spawn(process.execPath, [kernelctl, ...args, '--address', address]);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 2, `exit 2 (bad input):\n${stderr}`);
    return stderr;
  }

  for (const command of ['status', 'watch']) {
    test(`${command} with a malformed host: "nothing was looked up", not "nothing was started"`, async () => {
      const stderr = await refused([command, 'bad host!']);
      assert.match(stderr, new RegExp(`^kernelctl ${command}: invalid input, nothing was looked up:\\n`));
      assert.match(stderr, /<host>: must be a host name/);
      assert.doesNotMatch(stderr, /started/);
      assert.equal(connections, 0, 'no connection to Temporal');
    });
  }

  test('rollout status with a malformed rollout ID: "nothing was looked up"', async () => {
    const stderr = await refused(['rollout', 'status', 'bad id!']);
    assert.match(stderr, /^kernelctl rollout status: invalid input, nothing was looked up:\n/);
    assert.equal(connections, 0, 'no connection to Temporal');
  });

  test('upgrade and abort keep "nothing was started", naming the command', async () => {
    assert.match(
      await refused(['upgrade', 'bad host!', '--to', '6.1.0-56-cloud-amd64']),
      /^kernelctl upgrade: invalid input, nothing was started:\n/,
    );
    assert.match(await refused(['abort', 'web-01']), /^kernelctl abort: invalid input, nothing was started:\n/);
    assert.equal(connections, 0, 'no connection to Temporal');
  });
});
