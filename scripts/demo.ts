/**
 * `npm run demo`: the newcomer's first command. Builds (or reuses) the Debian 12 testbed image,
 * boots a VM through GRUB under qemu, starts the embedded Temporal dev server (state kept in
 * $XDG_STATE_HOME/kernel-rollout/demo) and a worker, upgrades the VM's kernel with live
 * progress, and prints the web UI address. The server's SQLite file stays on disk: run
 * `npx kernelctl dev --state-dir <dir>` later to browse the history in the web UI.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { HostUpgradeClient } from '../src/client';
import { startDevServer } from '../src/dev/temporal-server';
import { freePort } from '../src/node/free-port';
import { createWorker } from '../src/worker';
import { bootVm, ensureImage } from '../testbed/vm';

const say = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  // The worker's INFO lines (bundler, state changes) would drown the progress lines.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stateDir = path.join(
    process.env['XDG_STATE_HOME'] || path.join(homedir(), '.local', 'state'),
    'kernel-rollout',
    'demo',
  );
  mkdirSync(stateDir, { recursive: true });
  say('1/4 testbed image (built once, ~4 min cold; cached in ~/.cache/kernel-rollout/testbed)');
  const image = await ensureImage({ log: (l) => process.stderr.write(`    ${l}\n`) });
  say(`    kernels: ${image.kernels.old} (installed) → ${image.kernels.new} (.deb)`);
  say('2/4 booting the VM through GRUB (qemu, TCG: ~40 s)');
  const artifacts = path.join(stateDir, 'vm');
  const vm = await bootVm({ image, name: `demo-${Date.now()}`, artifactsDir: artifacts });
  say(`    SSH on 127.0.0.1:${vm.sshPort}, serial log ${vm.serialLogPath}`);
  say('3/4 Temporal dev server + worker');
  const uiPort = await freePort();
  const server = await startDevServer({
    dbFile: path.join(stateDir, 'temporal.sqlite'),
    uiPort,
    logPath: path.join(stateDir, 'temporal.log'),
  });
  const taskQueue = 'kernel-rollout';
  const { worker, connection } = await createWorker({ address: server.address, namespace: 'default', taskQueue });
  const running = worker.run();
  say(`    Web UI: ${server.uiUrl}/namespaces/default/workflows   (state: ${stateDir})`);
  const client = await HostUpgradeClient.connect({ address: server.address, namespace: 'default', taskQueue });
  try {
    say('4/4 upgrading (live progress; the whole story is in the web UI too)');
    const host = `demo-vm-${vm.sshPort}`;
    const handle = await client.startUpgrade({
      target: {
        host,
        address: '127.0.0.1',
        port: vm.sshPort,
        user: 'root',
        privateKeyPath: vm.privateKeyPath,
        knownHostsPath: vm.knownHostsPath,
      },
      toRelease: image.kernels.new,
      source: { kind: 'deb', localPath: image.kernels.newDeb, sha256: image.kernels.newDebSha256 },
      panicSeconds: 5,
      revertAfterSeconds: 300,
      stabilitySeconds: 15,
      power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset' },
    });
    let printed = 0;
    for (;;) {
      const s = await client.status(host);
      for (const t of s.timeline.slice(printed)) say(`    ${t.at.slice(11, 19)}  ${t.phase.padEnd(17)} ${t.message}`);
      printed = s.timeline.length;
      if (s.outcome) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const r = await handle.result();
    const after = await vm.sshCmd('uname -r; grub-editenv /boot/grub/grubenv list');
    say(`\n${host}: ${r.outcome} — ${r.reason}`);
    say(`host now reports:\n${after.stdout.replace(/^/gm, '    ')}`);
    say(`Web UI: ${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}`);
    say(`Browse it later: npx kernelctl dev --state-dir ${stateDir}`);
    process.exitCode = r.outcome === 'upgraded' ? 0 : 3;
  } finally {
    await client.close();
    worker.shutdown();
    await running;
    await connection.close();
    await vm.stop();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
