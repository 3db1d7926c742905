/**
 * The embedded dev server on a SQLite file (what `kernelctl dev` runs): the file is in
 * write-ahead-log mode, read from the file itself (its header's format bytes, which SQLite sets
 * to 2 for WAL and 1 for the rollback journal), and a workflow start the server acknowledged is
 * still there after the server is SIGKILLed and started again on the same file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readSync, closeSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ChaosTemporal } from '../chaos/harness';

/** Bytes 18 and 19 of a SQLite file: its write and read format versions (1 legacy, 2 WAL). */
function formatVersions(file: string): [number, number] {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  assert.equal(header.subarray(0, 16).toString('latin1'), 'SQLite format 3\0', `${file} is not a SQLite file`);
  return [header[18] ?? 0, header[19] ?? 0];
}

test(
  'dev server on a file: write-ahead log, and an acknowledged start survives SIGKILL',
  { timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-dev-sqlite-'));
    // The chaos suite's server: a SQLite file, killed by PID and started again on the same file and port.
    const server = await ChaosTemporal.start(dir, dir);
    const { dbFile } = server;
    try {
      assert.deepEqual(formatVersions(dbFile), [2, 2], 'the file is not in WAL mode');
      assert.ok(existsSync(`${dbFile}-wal`), 'no write-ahead log beside the file');

      const workflowId = 'kr-sqlite-durability';
      let connection = await Connection.connect({ address: server.address });
      try {
        // No worker polls this queue: the run stays open, and only the server's file holds it.
        await new Client({ connection }).workflow.start('nobodyRunsThis', {
          taskQueue: 'kr-nobody-polls',
          workflowId,
        });
      } finally {
        await connection.close();
      }
      await server.kill();
      await server.restart();
      assert.deepEqual(formatVersions(dbFile), [2, 2]);
      connection = await Connection.connect({ address: server.address });
      try {
        const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
        assert.equal(described.status.name, 'RUNNING');
        assert.equal(described.type, 'nobodyRunsThis');
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
