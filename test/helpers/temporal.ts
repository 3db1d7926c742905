/**
 * Connects tests to the real Temporal dev server that `scripts/with-temporal` started
 * (TEMPORAL_ADDRESS). A test run without one starts its own, so a lone
 * `node --test dist/test/workflow/x.test.js` works too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

// Workers log every state change at INFO; tests want warnings and errors only.
Runtime.install({ logger: new DefaultLogger('WARN') });
import { startDevServer, type DevServer } from '../../src/dev/temporal-server';
import type { KernelRolloutActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import type { UpgradeHostInput } from '../../src/shared/types';
import { upgradeHostInputSchema } from '../../src/shared/schemas';

let ownServer: DevServer | null = null;
let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;

export async function temporalAddress(): Promise<string> {
  const fromEnv = process.env['TEMPORAL_ADDRESS'];
  if (fromEnv) return fromEnv;
  if (!ownServer) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-test-temporal-'));
    ownServer = await startDevServer({ logPath: path.join(dir, 'temporal.log'), headless: true });
  }
  return ownServer.address;
}

export async function stopOwnServer(): Promise<void> {
  await ownServer?.stop();
  ownServer = null;
}

export function workflowsPath(): string {
  return require.resolve('../../src/workflows');
}

export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
export const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

export interface Harness {
  client: Client;
  taskQueue: string;
}

/** Runs `fn` with a worker on a fresh task queue serving the given activities. */
export async function withWorker<T>(activities: KernelRolloutActivities, fn: (h: Harness) => Promise<T>): Promise<T> {
  const address = await temporalAddress();
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: keepAlive(activities),
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    return await worker.runUntil(fn({ client, taskQueue }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

export const OLD = '6.1.0-47-cloud-amd64';
export const NEW = '6.1.0-48-cloud-amd64';

/** A valid workflow input with short timings for tests; override what a test is about. */
export function testInput(overrides: Partial<UpgradeHostInput> = {}): UpgradeHostInput {
  const base = upgradeHostInputSchema.parse({
    target: { host: `web-${randomUUID().slice(0, 8)}`, user: 'root', privateKeyPath: '/nonexistent/key' },
    toRelease: NEW,
    source: { kind: 'apt', packageName: `linux-image-${NEW}` },
    stabilitySeconds: 1,
    revertAfterSeconds: 60,
    power: { driver: 'command', argv: ['true'] },
    timeouts: {
      bootDeadlineSeconds: 10,
      powerCycleDeadlineSeconds: 10,
      approvalTimeoutSeconds: 30,
      heartbeatSeconds: 2,
      pollCapSeconds: 0.2,
    },
  });
  return { ...base, ...overrides };
}

/** Whether a Temporal frontend answers GetSystemInfo now (a fresh connection, closed after). */
export async function serverAnswers(address: string, tls?: TLSConfig, connectTimeoutMs = 2000): Promise<boolean> {
  try {
    const conn = await Connection.connect({ address, ...(tls ? { tls } : {}), connectTimeout: connectTimeoutMs });
    try {
      await conn.workflowService.getSystemInfo({});
      return true;
    } finally {
      await conn.close();
    }
  } catch {
    return false;
  }
}
