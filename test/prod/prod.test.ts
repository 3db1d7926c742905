/**
 * The production topology, on real parts (docs/testing.md, "The production topology"):
 *   PostgreSQL (Debian) ← Temporal server built from Go (mutual TLS, deploy/temporal/*) ← web UI
 *   server built from Go; two `kernelctl worker`s, each in its own bubblewrap filesystem view,
 *   with Prometheus (Debian) scraping them; 21 simulated hosts behind real SSH (sim/).
 *
 * 1. mTLS: a client without a certificate is refused in the handshake and kernelctl exits 7
 *    saying so; kernelctl with the profile is served.
 * 2. `kernelctl rollout --deb FILE --artifact-host … --prepare-ahead` of 20 hosts with faults: the
 *    .deb exists only on the operator's side and reaches the workers through the artifact host;
 *    each batch after the canary is staged during the one before and released by the worker's own
 *    client under mutual TLS (releaseHeldRuns, no fallback signal in the history); one worker is
 *    SIGKILLed while the canary reboots and started again (both workers present the
 *    kernel-rollout-worker certificate: a writer in `default`, test/prod/authz.test.ts shows no more); the Temporal server is SIGKILLed in
 *    the second batch and started again on the same database. Then: every host ends as its fault
 *    says and the chaos suite's invariants hold on every host; the search attributes answer on
 *    PostgreSQL visibility; the UI server serves the rollout through its HTTP API; Prometheus's
 *    outcome counter matches the rollout's counts; no key or password bytes are in any history,
 *    searched with every payload decoded (test/helpers/history-text.ts): markers planted on purpose
 *    in one run's input, memo, search attribute and signal are found there, proving it can see one.
 * 3. Alerts: Prometheus evaluates deploy/prometheus/kernel-rollout-rules.yml (KernelRolloutHostStuck
 *    rendered with a 10 s threshold, the file's other rules as shipped); a host whose trial kernel
 *    hangs sits in `await`, KernelRolloutHostStuck{phase="await"} fires, and ends once an operator
 *    has reset the host (it comes back on its known-good kernel: rolled back).
 *
 *   npm run test:prod     (builds the Go parts once per machine: scripts/build-temporal-server.sh)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Client, Connection, type TLSConfig, type WorkflowHandle } from '@temporalio/client';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { temporal } from '@temporalio/proto';
import { historyText, needlesIn } from '../helpers/history-text';
import { decisionsSent } from '../helpers/rollout-history';
import { runProcess } from '../helpers/process';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { rolloutProgressQuery, rolloutWorkflowId, type RolloutResult } from '../../src/workflows/rollout-definitions';
import { statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeResult } from '../../src/shared/types';
import { KernelRolloutProgressedAt, KernelRolloutTarget } from '../../src/workflows/search-attributes';
import { FAULTS, NEW, UNHEALTHY_MARKER, injectFault, type FaultKind } from '../chaos/faults';
import { durableResult, hostEvidence, outcomeIn } from '../chaos/harness';
import { checkHost, type Violation } from '../chaos/invariants';
import {
  Deployment,
  PROD_TOOLS,
  PostgresCluster,
  Prometheus,
  ROOT,
  RULES,
  SERVER_NAME,
  TemporalCluster,
  UiServer,
  createNamespace,
  lowFreePort,
  waitFor,
} from './cluster';
import { BwrapWorker } from './workers';

const KERNELCTL = path.join(ROOT, 'bin', 'kernelctl.js');
/** KernelRolloutHostStuck's threshold in the rules test:prod loads (shipped: 30 min, 2 h). */
const STUCK_SECONDS = 10;
/** The certificates deploy/make-certs.sh issues by default (its list is the one place they are named). */
let CLIENTS: string[] = [];

/** 20 hosts in the rollout: the canary healthy, then faults whose outcome the safety matrix fixes. */
const FLEET: FaultKind[] = [
  'none',
  'none',
  'panic',
  'none',
  'no-network',
  'none',
  'unhealthy',
  'none',
  'ssh-drop-reboot',
  'none',
  'hang-power',
  'none',
  'boot-full',
  'none',
  'slow-boot',
  'none',
  'ssh-drop-commit',
  'panic',
  'none',
  'none',
];

/**
 * The shipped rules with KernelRolloutHostStuck's thresholds at `seconds` and no `for`: the test
 * cannot hold a host for 30 minutes. Every other rule, and this one's expression, as shipped.
 */
function renderTestRules(seconds: number): string {
  const doc = parseYaml(fs.readFileSync(RULES, 'utf8')) as {
    groups: { rules: { alert?: string; expr: string; for?: string }[] }[];
  };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === 'KernelRolloutHostStuck');
  assert.ok(rule, 'KernelRolloutHostStuck in the shipped rules');
  const thresholds = rule.expr.match(/> \d+/g) ?? [];
  assert.ok(thresholds.length >= 1, `a threshold in ${rule.expr}`);
  rule.expr = rule.expr.replace(/> \d+/g, `> ${seconds}`);
  rule.for = '0s';
  return stringifyYaml(doc);
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  return { ...env, ...extra };
}

/** The key material of the run: every private key's base64 lines and the database password. */
function secretNeedles(files: string[], password: string): string[] {
  const needles = [password];
  for (const f of files) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (line && !line.startsWith('-----') && line.length >= 16) needles.push(line);
    }
  }
  return needles;
}

/** What the steps of the 20-host rollout share. */
interface ProdRollout {
  t: { diagnostic: (m: string) => void };
  taskQueue: string;
  rolloutId: string;
  names: string[];
  artifactHost: string;
  heldHost: string;
  fleet: Simulator;
  temporal: TemporalCluster;
  ui: UiServer;
  operatorDir: string;
  deb: string;
  workers: BwrapWorker[];
}

describe('production topology: PostgreSQL, Temporal server (mTLS), UI server, two workers, Prometheus', () => {
  const runId = randomBytes(3).toString('hex');
  let dir: string;
  let tlsDir: string;
  let password: string;
  let deployment: Deployment;
  /** The workers' metrics addresses (Prometheus's targets in the settings). */
  let metrics: string[];
  let rulesFile: string;
  let pg: PostgresCluster | undefined;
  let temporal: TemporalCluster | undefined;
  let ui: UiServer | undefined;
  let tomlPath: string;
  let clientTls: TLSConfig;
  let connection: Connection | undefined;
  let client: Client;
  let passed = false;

  before(async () => {
    for (const bin of ['temporal-server', 'temporal-sql-tool', 'ui-server']) {
      if (!fs.existsSync(path.join(PROD_TOOLS, bin))) {
        assert.fail(`${path.join(PROD_TOOLS, bin)} is missing: run bash scripts/build-temporal-server.sh`);
      }
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-prod-'));
    fs.chmodSync(dir, 0o755);
    const t0 = Date.now();
    // What only the test has: a private PostgreSQL, free ports, its own directory. Everything
    // else is deploy/single-machine/, run with these as its settings.
    pg = await PostgresCluster.start(path.join(dir, 'postgres'));
    // Below the ephemeral range: the workers bind these a minute later, after the simulated hosts
    // and the servers have opened their connections (a port from port 0 was once taken meanwhile).
    metrics = [`127.0.0.1:${await lowFreePort()}`, `127.0.0.1:${await lowFreePort()}`];
    rulesFile = path.join(dir, 'kernel-rollout-rules.yml');
    tomlPath = path.join(dir, 'temporal.toml');
    deployment = await Deployment.create(dir, {
      pgPort: pg.port,
      pgSocketDir: pg.socketDir,
      configFile: tomlPath,
      workerMetrics: metrics,
      rulesFile,
    });
    tlsDir = deployment.tlsDir;
    // The deployment's own certificate step (deploy/make-certs.sh with its default list of
    // identities), as an operator runs it.
    await deployment.step('certs.sh');
    CLIENTS = fs
      .readdirSync(tlsDir)
      .filter((f) => f.endsWith('.key') && f !== 'ca.key' && f !== 'server.key')
      .map((f) => f.slice(0, -'.key'.length));
    for (const c of ['admin', 'worker', 'ui', 'kernelctl', 'kernel-rollout-worker', 'auditor']) {
      assert.ok(CLIENTS.includes(c), `certs.sh issues ${c}: ${CLIENTS.join(', ')}`);
    }
    // Every private key is created 600, the certificates 644 (docs/operations.md, "Deploying").
    const modes = fs
      .readdirSync(tlsDir)
      .filter((f) => /\.(key|pem)$/.test(f))
      .map((f) => `${f} ${(fs.statSync(path.join(tlsDir, f)).mode & 0o777).toString(8)}`);
    assert.deepEqual(
      modes.filter((m) => !/\.key 600$|\.pem 644$/.test(m)),
      [],
      `make-certs.sh file modes: ${modes.join(', ')}`,
    );
    assert.equal(modes.filter((m) => m.endsWith('.key 600')).length, CLIENTS.length + 2, modes.join(', '));
    clientTls = {
      serverNameOverride: SERVER_NAME,
      serverRootCACertificate: fs.readFileSync(path.join(tlsDir, 'ca.pem')),
      clientCertPair: {
        crt: fs.readFileSync(path.join(tlsDir, 'kernelctl.pem')),
        key: fs.readFileSync(path.join(tlsDir, 'kernelctl.key')),
      },
    };
    temporal = await TemporalCluster.create({ deployment, logDir: dir, clientTls });
    // database.sh made the password file, 600.
    assert.equal((fs.statSync(deployment.passwordFile).mode & 0o777).toString(8), '600');
    password = fs.readFileSync(deployment.passwordFile, 'utf8').trim();
    const ns = await createNamespace(deployment);
    assert.match(ns, /default (created|exists)/);
    ui = await UiServer.start(deployment, dir);
    process.stdout.write(
      `# topology up in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${temporal.address}, UI ${ui.url}\n`,
    );

    // The profiles: kernelctl's and each worker's by worker-profile.sh; one without a certificate.
    // Both workers present the workers' own certificate (CN=kernel-rollout-worker: a writer in
    // `default` only, deploy/temporal/config/roles.yaml); their Temporal identities differ by host name.
    const profiles = [];
    for (const [profile, identity] of [
      ['prod', 'kernelctl'],
      ['worker-a', 'kernel-rollout-worker'],
      ['worker-b', 'kernel-rollout-worker'],
    ] as const) {
      profiles.push(await deployment.step('worker-profile.sh', [profile, identity]));
    }
    profiles.push(
      [
        '[profile.nocert]',
        `address = "${temporal.address}"`,
        'namespace = "default"',
        '[profile.nocert.tls]',
        `server_ca_cert_path = "${path.join(tlsDir, 'ca.pem')}"`,
        `server_name = "${SERVER_NAME}"`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(tomlPath, profiles.join('\n'));
    connection = await Connection.connect({ address: temporal.address, tls: clientTls });
    client = new Client({ connection });
  });

  after(async () => {
    await connection?.close().catch(() => undefined);
    await ui?.stop();
    await temporal?.stop();
    await pg?.stop();
    if (passed && dir) fs.rmSync(dir, { recursive: true, force: true });
    else if (dir) process.stdout.write(`# logs, certificates and the database kept in ${dir}\n`);
  });

  const kernelctl = (args: string[]) =>
    runProcess(process.execPath, [KERNELCTL, ...args], cleanEnv({ TEMPORAL_CONFIG_FILE: tomlPath }));

  let oldKeyNeedles: string[] = [];

  /** A leaf's serial number as its file on disk says. */
  const diskSerial = (name: string) =>
    new X509Certificate(fs.readFileSync(path.join(tlsDir, `${name}.pem`))).serialNumber;

  /** The serial number of the certificate the frontend presents in a TLS handshake (kernelctl's pair as on disk). */
  const servedSerial = () =>
    new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: temporal?.frontendPort ?? 0,
        servername: SERVER_NAME,
        ca: fs.readFileSync(path.join(tlsDir, 'ca.pem')),
        cert: fs.readFileSync(path.join(tlsDir, 'kernelctl.pem')),
        key: fs.readFileSync(path.join(tlsDir, 'kernelctl.key')),
        ALPNProtocols: ['h2'],
      });
      socket.once('secureConnect', () => {
        const serial = socket.getPeerCertificate().serialNumber;
        socket.destroy();
        resolve(serial);
      });
      socket.once('error', reject);
    });

  /**
   * The rotation runbook: `certs.sh --renew` re-issues every leaf (same CA), then the server, the
   * UI server and each worker are restarted one at a time through their run-*.sh. The upgrade
   * `inFlight` must still be in flight afterwards; the server must present its new certificate.
   */
  async function rotateCertificates(
    t: { diagnostic: (m: string) => void },
    host: string,
    inFlight: { query: (q: typeof statusQuery) => Promise<{ phase: string }>; workflowId: string },
    workers: BwrapWorker[],
  ) {
    assert.ok(temporal && ui);
    const leaves = ['server', ...CLIENTS];
    const ca = () => ['ca.pem', 'ca.key'].map((f) => fs.readFileSync(path.join(tlsDir, f), 'utf8'));
    const caBefore = ca();
    const before = Object.fromEntries(leaves.map((n) => [n, diskSerial(n)]));
    const servedBefore = await servedSerial();
    assert.equal(servedBefore, before['server'], 'the server presents server.pem');
    const t0 = Date.now();

    const renewed = await deployment.step('certs.sh', ['--renew']);
    assert.deepEqual(ca(), caBefore, 'the CA is never re-issued');
    for (const n of leaves) assert.notEqual(diskSerial(n), before[n], `${n}.pem re-issued\n${renewed}`);
    for (const n of leaves) {
      assert.equal((fs.statSync(path.join(tlsDir, `${n}.key`)).mode & 0o777).toString(8), '600', `${n}.key`);
    }

    // One component at a time, each through its bring-up script.
    await temporal.stop();
    await temporal.start();
    const servedAfter = await servedSerial();
    assert.equal(servedAfter, diskSerial('server'), 'the restarted server presents the new server.pem');
    assert.notEqual(servedAfter, servedBefore);
    await ui.stop();
    await ui.start();
    const res = await fetch(`${ui.url}/api/v1/namespaces/default/workflows/${encodeURIComponent(inFlight.workflowId)}`);
    const body = (await res.json()) as { workflowExecutionInfo?: { status?: string } };
    assert.equal(res.status, 200, `the UI with its new ui.pem: ${JSON.stringify(body)}`);
    assert.match(String(body.workflowExecutionInfo?.status), /RUNNING/);
    for (const w of workers) {
      await w.stop();
      await w.start();
    }
    // kernelctl with its new pair (the profile names the files) is served.
    const st = await kernelctl(['status', host, '--profile', 'prod']);
    assert.ok(st.code !== 7 && st.code !== 8, `kernelctl status after the rotation: ${st.code}\n${st.stderr}`);
    const phase = (await inFlight.query(statusQuery)).phase;
    assert.equal(phase, 'await', 'the upgrade is still in flight after every component was restarted');
    t.diagnostic(
      `certificates rotated in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${leaves.length} leaves re-issued, CA ` +
        `unchanged; server, UI and ${workers.length} workers restarted one at a time; the server's serial ` +
        `${servedBefore} -> ${servedAfter}; ${inFlight.workflowId} still in ${phase}`,
    );
  }

  test('mutual TLS: without a client certificate refused (kernelctl exits 7), with the profile served', async () => {
    const bare = await Connection.connect({
      address: temporal?.address ?? '',
      tls: { serverNameOverride: SERVER_NAME, serverRootCACertificate: clientTls.serverRootCACertificate },
      connectTimeout: 5000,
    })
      .then(async (c) => {
        try {
          await c.workflowService.getSystemInfo({});
          return 'served';
        } finally {
          await c.close();
        }
      })
      .catch((err: Error) => err.message);
    assert.notEqual(bare, 'served', 'the frontend served a client without a certificate');

    const noCert = await kernelctl(['status', 'no-such-host', '--profile', 'nocert']);
    assert.equal(noCert.code, 7, noCert.stderr);
    assert.match(noCert.stderr, /cannot reach Temporal at 127\.0\.0\.1:\d+ \(TLS\)/);

    const served = await kernelctl(['status', 'no-such-host', '--profile', 'prod']);
    assert.equal(served.code, 8, `served: the host has no upgrade\n${served.stderr}`);
  });

  /** The operator's .deb: a real Debian package (dpkg-deb) of the kernel release, outside every worker's view. */
  function operatorDeb(): { operatorDir: string; deb: string } {
    const operatorDir = path.join(dir, 'operator');
    const pkgRoot = path.join(operatorDir, 'pkg');
    fs.mkdirSync(path.join(pkgRoot, 'DEBIAN'), { recursive: true });
    fs.mkdirSync(path.join(pkgRoot, 'boot'));
    fs.writeFileSync(
      path.join(pkgRoot, 'DEBIAN', 'control'),
      `Package: linux-image-${NEW}\nVersion: 6.1.99-1\nArchitecture: amd64\nMaintainer: test <test@example.org>\nDescription: kernel\n`,
    );
    fs.writeFileSync(path.join(pkgRoot, 'boot', `vmlinuz-${NEW}`), randomBytes(4096));
    const deb = path.join(operatorDir, `linux-image-${NEW}_6.1.99-1_amd64.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', pkgRoot, deb], { stdio: 'pipe' });
    return { operatorDir, deb };
  }

  /** Both workers, each in its bubblewrap view, find the search attributes the bring-up created. */
  async function startWorkers(ctx: ProdRollout): Promise<void> {
    const { fleet, taskQueue, workers } = ctx;
    for (const [i, name] of ['worker-a', 'worker-b'].entries()) {
      workers.push(
        new BwrapWorker(name, metrics[i] as string, {
          deployment,
          files: [
            path.join(tlsDir, 'ca.pem'),
            path.join(tlsDir, 'kernel-rollout-worker.pem'),
            path.join(tlsDir, 'kernel-rollout-worker.key'),
            fleet.clientKeyPath,
            fleet.knownHostsPath,
            fleet.controlPath,
          ],
          // worker-b runs at most 7 activities at once (its slots, checked through Prometheus below).
          args: [
            '--profile',
            name,
            '--task-queue',
            taskQueue,
            ...(i === 1 ? ['--max-concurrent-activities', '7'] : []),
          ],
          logPath: path.join(dir, `${name}.log`),
        }),
      );
    }
    // The bring-up (create-namespace.sh, as admin) created kernel-rollout's search attributes:
    // the workers, which may not add them, find them there.
    const custom = async () =>
      Object.keys(
        (await connection!.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {},
      ).filter((k) => k.startsWith('KernelRollout'));
    for (const w of workers) await w.start();
    assert.deepEqual((await custom()).sort(), [
      'KernelRolloutOutcome',
      'KernelRolloutPhase',
      'KernelRolloutProgressedAt',
      'KernelRolloutTarget',
    ]);
    assert.match(
      fs.readFileSync(path.join(dir, 'worker-a.log'), 'utf8'),
      /search attributes: KernelRolloutPhase, KernelRolloutTarget, KernelRolloutOutcome, KernelRolloutProgressedAt already in namespace default/,
    );
  }

  /** `kernelctl rollout --deb … --artifact-host …` of the fleet, as the operator runs it. */
  async function startRolloutFromCli(ctx: ProdRollout): Promise<WorkflowHandle> {
    const { fleet, names, artifactHost, operatorDir, deb, rolloutId, taskQueue } = ctx;
    const inventory = path.join(operatorDir, 'inventory.yaml');
    fs.writeFileSync(
      inventory,
      [
        'kernelRollout: 1',
        'defaults:',
        '  user: root',
        `  privateKeyPath: ${fleet.clientKeyPath}`,
        `  knownHostsPath: ${fleet.knownHostsPath}`,
        'hosts:',
        ...names.flatMap((n) => [`  ${n}:`, '    address: 127.0.0.1', `    port: ${fleet.host(n).port}`]),
        '',
      ].join('\n'),
    );
    const started = await kernelctl([
      'rollout',
      '--inventory',
      inventory,
      '--to',
      NEW,
      '--deb',
      deb,
      '--artifact-host',
      `root@127.0.0.1:${fleet.host(artifactHost).port}`,
      '-i',
      fleet.clientKeyPath,
      '--known-hosts',
      fleet.knownHostsPath,
      '--canary',
      '1',
      '--batch',
      '10',
      '--prepare-ahead',
      '--max-failures',
      '100%',
      '--panic',
      '1',
      '--revert-after',
      '120',
      '--stability',
      '0',
      '--boot-deadline',
      '15',
      '--health-cmd',
      `test ! -e ${UNHEALTHY_MARKER}`,
      '--power',
      'command',
      ...[process.execPath, path.join(ROOT, 'dist', 'sim', 'power.js'), fleet.controlPath, '{host}', 'reset'].flatMap(
        (a) => ['--power-command', a],
      ),
      '--id',
      rolloutId,
      '--task-queue',
      taskQueue,
      '--profile',
      'prod',
    ]);
    assert.equal(started.code, 0, `kernelctl rollout:\n${started.stdout}\n${started.stderr}`);
    const handle = client.workflow.getHandle(rolloutWorkflowId(rolloutId));
    return handle;
  }

  /** Worker A SIGKILLed while the canary reboots, the server in batch 2; returns the hosts then upgrading. */
  async function killWorkerThenServer(ctx: ProdRollout, handle: WorkflowHandle): Promise<number> {
    const { t, names, workers } = ctx;
    // Worker A dies while the canary reboots (before any host has ended: no counter is lost with it).
    const canary = names[0] as string;
    let canaryLast = '(no status yet)';
    await waitFor(
      `${canary} rebooting`,
      async () => {
        const st = await client.workflow.getHandle(upgradeWorkflowId(canary)).query(statusQuery);
        canaryLast = `${st.outcome ?? st.phase}: ${st.details}`;
        return ['reboot', 'await'].includes(st.phase);
      },
      180_000,
      100,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; it was ${canaryLast}`);
    });
    await workers[0]?.kill();
    await workers[0]?.start();
    t.diagnostic(`worker-a SIGKILLed while ${canary} rebooted, and started again`);

    // The server dies in the second batch, while hosts are in flight, and comes back on the same database.
    let inFlight = 0;
    await waitFor(
      'batch 2 with hosts upgrading',
      async () => {
        const p = await handle.query(rolloutProgressQuery);
        inFlight = p.upgrading;
        return p.currentBatch === 2 && p.upgrading >= 5;
      },
      300_000,
      200,
    );
    await ctx.temporal.kill();
    await ctx.temporal.start();
    t.diagnostic(`Temporal server SIGKILLed with ${inFlight} hosts upgrading, and started again`);
    return inFlight;
  }

  /**
   * The two batches after the canary were held after staging and released by releaseHeldRuns, a
   * local activity that signals the held runs through the worker's client, here under mutual TLS:
   * had it failed, the rollout would have signalled each run itself (rolloutDecision signals).
   */
  function checkHeldBatchesReleased(history: temporal.api.history.v1.IHistory): void {
    const sent = decisionsSent(history);
    assert.ok(sent.localActivities >= 2, `releaseHeldRuns ran for both held batches: ${JSON.stringify(sent)}`);
    assert.equal(sent.signals, 0, `no held run was told by a rolloutDecision signal: ${JSON.stringify(sent)}`);
  }

  /** The rollout completes; every host as its fault says, the chaos invariants on every host. */
  async function checkEveryHost(ctx: ProdRollout, handle: WorkflowHandle) {
    const { fleet, names, rolloutId } = ctx;
    const result = await durableResult<RolloutResult>(
      rolloutId,
      () => handle.result(),
      () => temporal?.answers() ?? Promise.resolve(false),
      900_000,
    );
    assert.equal(result.outcome, 'completed', result.reason);

    // Every host as its fault says; the chaos invariants on every host.
    const violations: Violation[] = [];
    for (const [i, name] of names.entries()) {
      const fault = FLEET[i] as FaultKind;
      const outcome = outcomeIn(result, name);
      const evidence = await hostEvidence(
        client,
        fleet,
        name,
        [{ rolloutId, outcome, expected: FAULTS[fault].expected }],
        0,
      );
      violations.push(...checkHost(evidence).map((v) => ({ ...v, detail: `[${fault}] ${v.detail}` })));
    }
    assert.deepEqual(violations, [], violations.map((v) => `${v.host} ${v.invariant}: ${v.detail}`).join('\n'));
    const expectedCounts: Record<string, number> = {};
    for (const f of FLEET) expectedCounts[FAULTS[f].expected] = (expectedCounts[FAULTS[f].expected] ?? 0) + 1;
    for (const [outcome, n] of Object.entries(expectedCounts))
      assert.equal(result.counts[outcome as 'upgraded'], n, outcome);
    return { result, expectedCounts };
  }

  /** The ids a visibility query lists, sorted. */
  const listed = async (query: string) => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids.sort();
  };

  /** Search attributes on PostgreSQL visibility; the UI server's HTTP API. */
  async function checkVisibilityAndUi(ctx: ProdRollout, result: RolloutResult): Promise<void> {
    const { names, rolloutId } = ctx;
    // Search attributes on PostgreSQL visibility (the workers added them at start).
    const upgradedIds = names
      .filter((n) => outcomeIn(result, n) === 'upgraded')
      .map(upgradeWorkflowId)
      .sort();
    await waitFor(
      'KernelRolloutOutcome="upgraded" to list the upgraded hosts',
      async () =>
        JSON.stringify(await listed(`KernelRolloutTarget="${NEW}" AND KernelRolloutOutcome="upgraded"`)) ===
        JSON.stringify(upgradedIds),
      60_000,
    );
    assert.deepEqual(await listed(`KernelRolloutPhase="completed" AND WorkflowId="${rolloutWorkflowId(rolloutId)}"`), [
      rolloutWorkflowId(rolloutId),
    ]);

    // The UI server answers for the rollout through its HTTP API (it speaks mTLS to the frontend).
    const res = await fetch(
      `${ctx.ui.url}/api/v1/namespaces/default/workflows/${encodeURIComponent(rolloutWorkflowId(rolloutId))}`,
    );
    const body = (await res.json()) as { workflowExecutionInfo?: { type?: { name?: string }; status?: string } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.workflowExecutionInfo?.type?.name, 'rolloutKernel');
    assert.match(String(body.workflowExecutionInfo?.status), /COMPLETED/);
  }

  /** Prometheus: the outcome counter against the rollout's counts; the workers' slot limits. */
  async function checkPrometheus(
    ctx: ProdRollout,
    prom: Prometheus,
    expectedCounts: Record<string, number>,
    inFlight: number,
  ): Promise<void> {
    const { t } = ctx;
    // Prometheus: the outcome counter, summed over both workers, against the rollout's counts.
    // Metrics are at least once: a workflow task whose completion the killed server lost runs
    // again and counts again, so a count may exceed the rollout's by the hosts then in flight.
    let promCounts: Record<string, number> = {};
    await waitFor(
      "Prometheus's outcome counts to reach the rollout's",
      async () => {
        const rows = await prom.query('sum by (outcome) (kernel_rollout_upgrades_ended_total)');
        promCounts = Object.fromEntries(rows.map((r) => [r.metric['outcome'] ?? '', r.value]));
        return Object.entries(expectedCounts).every(([o, n]) => (promCounts[o] ?? 0) >= n);
      },
      60_000,
    );
    const excess = Object.entries(promCounts).reduce((s, [o, v]) => s + v - (expectedCounts[o] ?? 0), 0);
    assert.ok(excess <= inFlight, `Prometheus counted ${excess} more upgrades than ran: ${JSON.stringify(promCounts)}`);
    t.diagnostic(`PromQL sum by (outcome) (kernel_rollout_upgrades_ended_total): ${JSON.stringify(promCounts)}`);

    // The slot limits as the SDK reports them: worker-b's 7 activity slots, worker-a's default 100.
    const slots = async (instance: string) => {
      const rows = await prom.query(
        `max_over_time(temporal_worker_task_slots_available{worker_type="ActivityWorker",instance="${instance}"}[10m])`,
      );
      return Math.max(...rows.map((r) => r.value));
    };
    assert.equal(await slots(metrics[1] as string), 7, 'worker-b --max-concurrent-activities 7');
    assert.equal(await slots(metrics[0] as string), 100, "worker-a's default");
  }

  /** A host held in its trial reboot: KernelRolloutHostStuck fires; certificates rotated; the host reset, the alert ends. */
  async function holdHostUntilStuck(ctx: ProdRollout, prom: Prometheus): Promise<void> {
    const { t, fleet, heldHost, artifactHost, deb, taskQueue, workers } = ctx;
    // A host held in its trial reboot: KernelRolloutHostStuck fires, and ends once the host is back.
    const stuckFiring = async () =>
      (await prom.alerts()).filter((a) => a.labels['alertname'] === 'KernelRolloutHostStuck' && a.state === 'firing');
    await waitFor('no host stuck once the rollout is over', async () => (await stuckFiring()).length === 0, 60_000);
    const held = await kernelctl([
      'upgrade',
      heldHost,
      '--to',
      NEW,
      '--deb',
      deb,
      '--artifact-host',
      `root@127.0.0.1:${fleet.host(artifactHost).port}`,
      '--ssh-address',
      '127.0.0.1',
      '--port',
      String(fleet.host(heldHost).port),
      '-i',
      fleet.clientKeyPath,
      '--known-hosts',
      fleet.knownHostsPath,
      '--boot-deadline',
      '300',
      '--stability',
      '0',
      '--task-queue',
      taskQueue,
      '--profile',
      'prod',
    ]);
    assert.equal(held.code, 0, `kernelctl upgrade ${heldHost}:\n${held.stdout}\n${held.stderr}`);
    const heldRun = client.workflow.getHandle(upgradeWorkflowId(heldHost));
    await waitFor(
      `${heldHost} waiting for its hung trial boot`,
      async () => (await heldRun.query(statusQuery)).phase === 'await',
      120_000,
    );
    const enteredAwait = Date.now();
    let firing: { labels: Record<string, string>; value: number }[] = [];
    await waitFor(
      'KernelRolloutHostStuck to fire',
      async () => {
        firing = await stuckFiring();
        return firing.length > 0;
      },
      90_000,
      500,
    );
    assert.deepEqual(
      firing.map((a) => a.labels['phase']),
      ['await'],
      JSON.stringify(firing),
    );
    assert.ok((firing[0]?.value ?? 0) > STUCK_SECONDS, JSON.stringify(firing));
    assert.equal((await heldRun.query(statusQuery)).phase, 'await', 'still held when the alert fired');
    const since = (await heldRun.describe()).typedSearchAttributes.get(KernelRolloutProgressedAt);
    assert.ok(since instanceof Date, 'KernelRolloutProgressedAt on the held run');
    t.diagnostic(
      `KernelRolloutHostStuck{phase="await"} fired ${((Date.now() - enteredAwait) / 1000).toFixed(0)} s ` +
        `after ${heldHost} was seen in await (value ${firing[0]?.value} s, threshold ${STUCK_SECONDS} s)`,
    );
    // Certificate rotation while that run is in flight (docs/operations.md, "Rotating certificates").
    oldKeyNeedles = secretNeedles(
      ['server', ...CLIENTS].map((c) => path.join(tlsDir, `${c}.key`)),
      password,
    );
    await rotateCertificates(t, heldHost, heldRun, [...workers]);

    // The operator resets the host by hand: the one-shot trial is spent, it boots its known-good kernel.
    fleet.powerReset(heldHost);
    const heldResult = (await heldRun.result()) as UpgradeResult;
    assert.equal(heldResult.outcome, 'rolled-back', heldResult.reason);
    await waitFor('KernelRolloutHostStuck to end', async () => (await stuckFiring()).length === 0, 60_000, 500);
  }

  /** A run that carries marker strings (not secrets) where a secret could hide. */
  async function plantMarkers() {
    // A run that carries marker strings (not secrets) where a secret could hide: its input, memo,
    // a search attribute and a signal argument. The search below must find each of them there,
    // which shows it reads decoded payloads (JSON.stringify of the history shows only base64).
    const planted = {
      input: `planted-not-a-secret-input-${runId}`,
      memo: `planted-not-a-secret-memo-${runId}`,
      searchAttribute: `planted-not-a-secret-attribute-${runId}`,
      signal: `planted-not-a-secret-signal-${runId}`,
    };
    const plantedId = `kernel-planted-${runId}`;
    const plantedRun = await client.workflow.start('plantedSecretCheck', {
      workflowId: plantedId,
      taskQueue: `kernel-planted-${runId}`, // polled by no worker: the run only records what it is given
      args: [{ note: planted.input }],
      memo: { note: planted.memo },
      typedSearchAttributes: [{ key: KernelRolloutTarget, value: planted.searchAttribute }],
    });
    await plantedRun.signal('plantedSecretCheck', { note: planted.signal });
    await plantedRun.terminate('planted markers for the secret search');
    await waitFor(
      'the planted run in visibility',
      async () => (await listed(`WorkflowId = "${plantedId}"`)).includes(plantedId),
      30_000,
    );
    return { planted, plantedId };
  }

  /** No key material and no password in any history of the run, every payload decoded. */
  async function searchHistories(
    ctx: ProdRollout,
    planted: Record<'input' | 'memo' | 'searchAttribute' | 'signal', string>,
    plantedId: string,
  ): Promise<void> {
    const { t, fleet, names } = ctx;
    // No key material and no password in any history of the run, every payload decoded.
    const needles = [
      ...secretNeedles(
        [fleet.clientKeyPath, ...['ca', 'server', ...CLIENTS].map((c) => path.join(tlsDir, `${c}.key`))],
        password,
      ),
      ...oldKeyNeedles, // the keys the rotation replaced
    ];
    let histories = 0;
    let withKeyPath = 0;
    let plantedFound: string[] | undefined;
    const identities = new Set<string>();
    for await (const wf of client.workflow.list({ query: `WorkflowId STARTS_WITH "kernel-"` })) {
      const events = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      for (const e of events.events ?? []) {
        const id = e.activityTaskStartedEventAttributes?.identity;
        if (id) identities.add(id.replace(/^\d+@/, ''));
      }
      const history = historyText(events);
      histories += 1;
      if (/\.privateKeyPath: \//m.test(history)) withKeyPath += 1;
      const found = needlesIn(history, [...needles, ...Object.values(planted)]);
      if (wf.workflowId === plantedId) {
        plantedFound = found;
        assert.ok(!JSON.stringify(events).includes(planted.input), 'base64 hides the planted input');
      } else {
        assert.deepEqual(found, [], `key or password bytes in the history of ${wf.workflowId}`);
      }
    }
    assert.ok(histories >= names.length + 2, `${histories} histories searched`);
    // The search sees the planted markers, and none of the real secrets, in the planted run.
    assert.deepEqual(plantedFound, Object.values(planted), 'the search finds what was planted, nothing else');
    // The upgrade inputs name the client key by path (`-i`): visible only once payloads are decoded.
    assert.ok(withKeyPath >= names.length, `privateKeyPath decoded in ${withKeyPath} histories`);
    // Both workers ran activities: the work was shared, on two filesystem views.
    assert.deepEqual([...identities].sort(), ['worker-a', 'worker-b']);
    t.diagnostic(
      `${histories} histories searched, every payload decoded, for ${needles.length} secret strings: none ` +
        `found; the ${Object.keys(planted).length} markers planted in ${plantedId} found; privateKeyPath ` +
        `(a path, not a secret) seen in ${withKeyPath} inputs`,
    );
  }

  test(
    'a rollout of 20 hosts from a .deb across two bubblewrapped workers, a worker and the server SIGKILLed',
    { timeout: 1_200_000 },
    async (t) => {
      assert.ok(temporal && ui);
      const taskQueue = `kernel-rollout-prod-${runId}`;
      const rolloutId = `prod-${runId}`;
      const names = FLEET.map((f, i) => `p${runId}-${String(i).padStart(2, '0')}-${f}`);
      const artifactHost = `p${runId}-artifacts`;
      // Not in the rollout: upgraded alone at the end, its trial kernel hangs (held in its reboot).
      const heldHost = `p${runId}-held`;
      let sim: Simulator | undefined;
      let prom: Prometheus | undefined;
      const workers: BwrapWorker[] = [];
      try {
        sim = await startSimulator({
          hosts: [
            ...[...names, artifactHost].map((name) => ({ name })),
            { name: heldHost, faults: { kernels: { [NEW]: 'hang' as const } } },
          ],
          bootSeconds: 1,
        });
        const fleet = sim;
        names.forEach((name, i) => injectFault(fleet, name, FAULTS[FLEET[i] as FaultKind]));

        const { operatorDir, deb } = operatorDeb();
        const ctx: ProdRollout = {
          t,
          taskQueue,
          rolloutId,
          names,
          artifactHost,
          heldHost,
          fleet,
          temporal,
          ui,
          operatorDir,
          deb,
          workers,
        };
        await startWorkers(ctx);
        fs.writeFileSync(rulesFile, renderTestRules(STUCK_SECONDS));
        prom = await Prometheus.start(deployment);

        const handle = await startRolloutFromCli(ctx);
        const inFlight = await killWorkerThenServer(ctx, handle);
        const { result, expectedCounts } = await checkEveryHost(ctx, handle);
        checkHeldBatchesReleased(await handle.fetchHistory());
        await checkVisibilityAndUi(ctx, result);
        await checkPrometheus(ctx, prom, expectedCounts, inFlight);
        await holdHostUntilStuck(ctx, prom);
        const { planted, plantedId } = await plantMarkers();
        await searchHistories(ctx, planted, plantedId);
        passed = true;
      } finally {
        for (const w of workers) await w.stop();
        await prom?.stop();
        await sim?.stop();
      }
    },
  );
});
