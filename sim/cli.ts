/**
 * Starts a simulated fleet and keeps it running until SIGINT/SIGTERM:
 *   node dist/sim/cli.js --hosts 5 --boot-seconds 3 [--state-dir DIR] [--fault HOST:RELEASE=panic|no-network|hang]
 * Prints an ssh_config snippet; known_hosts, the client key and control.json are in the state dir.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import type { KernelFault } from './model';
import { startSimulator, type HostFaults } from './simulator';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      hosts: { type: 'string', default: '3' },
      'boot-seconds': { type: 'string', default: '3' },
      'state-dir': { type: 'string' },
      prefix: { type: 'string', default: 'sim-' },
      fault: { type: 'string', multiple: true, default: [] },
    },
  });
  const hosts = Number(values.hosts);
  const bootSeconds = Number(values['boot-seconds']);
  if (!Number.isInteger(hosts) || hosts < 1 || !(bootSeconds >= 0)) {
    throw new Error('--hosts must be a whole number ≥ 1 and --boot-seconds a number ≥ 0');
  }
  const faults: Record<string, HostFaults> = {};
  for (const f of values.fault ?? []) {
    const m = /^([^:]+):([^=]+)=(panic|no-network|hang)$/.exec(f);
    if (!m) throw new Error(`--fault ${f}: expected HOST:RELEASE=panic|no-network|hang`);
    const [, host = '', release = '', kind] = m;
    faults[host] = { kernels: { ...faults[host]?.kernels, [release]: kind as KernelFault } };
  }
  const sim = await startSimulator({
    hosts,
    bootSeconds,
    stateDir: values['state-dir'],
    namePrefix: values.prefix,
    faults,
  });
  const configPath = path.join(sim.stateDir, 'ssh_config');
  writeFileSync(configPath, sim.sshConfig());
  process.stdout.write(
    `# ${hosts} simulated hosts; ssh -F ${configPath} ${sim.hosts[0]?.name ?? ''} uname -r\n` +
      `# known_hosts: ${sim.knownHostsPath}\n# client key: ${sim.clientKeyPath}\n` +
      `# power driver: node ${path.join(__dirname, 'power.js')} ${sim.controlPath} {host}\n\n` +
      sim.sshConfig(),
  );
  const shutdown = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
