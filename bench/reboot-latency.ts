/**
 * Reboot detection latency: from the moment a simulated host's SSH is back (its boot record's
 * time: the simulator marks the host up in the same step) to the moment kernel-rollout's poll
 * finds it (the first command of the new boot that reads the boot id, in the simulator's log).
 * Until 2026-12-06 the end point was the workflow's "back after …" note, written when
 * awaitHostReturn's result reached the workflow; with no stability window the wait now goes on to
 * verify and commit in the same activity, so the workflow hears of the return only after the
 * commit. That later moment is printed too ("workflow heard"), no target. It depends on
 * timeouts.pollCapSeconds (the longest pause between boot-id polls, default 1 s): the bench runs
 * at the default unless told otherwise.
 *
 * Boot times are spread evenly over one poll period (host i boots in boot + i/n × pollCap s):
 * with one fixed boot time every host would come up at the same point of the poll cycle, and the
 * figures would depend on that phase (either ~0.1 s or ~1.1 s) instead of sampling all of them,
 * as a real fleet's varying boot times do.
 *
 *   node dist/bench/reboot-latency.js [--reboots 24] [--parallel 4] [--boot 5] [--poll-cap 0.5]
 */
import { HostUpgradeClient } from '../src/client';
import {
  WorkerProcess,
  detectionSeconds,
  median,
  notUpgraded,
  numericFlags,
  quantile,
  round,
  runStandalone,
  say,
  startFleet,
  upgradeInput,
  withTemporal,
  workflowHeardSeconds,
  type Figure,
  type Temporal,
} from './lib';

const BENCH = 'reboot detection';

export async function rebootLatencyBench(argv: string[], temporal?: Temporal): Promise<Figure[]> {
  const opts = numericFlags(argv, { reboots: 24, parallel: 4, boot: 5, 'poll-cap': 0.5 });
  say(
    `\n## ${BENCH}: ${opts.reboots} upgrades (one reboot each), ${opts.parallel} at a time, boot ${opts.boot} s ` +
      `+ 0…${opts['poll-cap']} s (spread over one poll period), ` +
      `pollCapSeconds ${opts['poll-cap']}`,
  );
  const latencies = await withTemporal(temporal, async (t) => {
    const worker = await WorkerProcess.start(t.address);
    const hosts = Array.from({ length: opts.reboots }, (_, i) => ({
      faults: { bootSeconds: opts.boot + (i / opts.reboots) * opts['poll-cap'] },
    }));
    const { sim } = await startFleet(hosts, opts.boot);
    const client = await HostUpgradeClient.connect({
      address: t.address,
      namespace: 'default',
      taskQueue: worker.taskQueue,
    });
    try {
      const queue = sim.hosts.map((h) => h.name);
      const out: number[] = [];
      const heard: number[] = [];
      await Promise.all(
        Array.from({ length: Math.max(1, opts.parallel) }, async () => {
          for (let name = queue.shift(); name; name = queue.shift()) {
            const input = upgradeInput(sim, name, { pollCapSeconds: opts['poll-cap'] });
            const r = await (await client.startUpgrade(input)).result();
            if (r.outcome !== 'upgraded') throw new Error(`${name}: ${r.outcome}: ${r.reason}`);
            out.push(detectionSeconds(sim, r));
            heard.push(workflowHeardSeconds(sim, r));
          }
        }),
      );
      const bad = notUpgraded(
        sim,
        sim.hosts.map((h) => h.name),
      );
      if (bad.length > 0) throw new Error(`not upgraded as expected:\n${bad.join('\n')}`);
      const h = [...heard].sort((a, b) => a - b);
      say(`workflow heard (s, after the verification and commit): ${h.map((l) => l.toFixed(2)).join(' ')}`);
      return out;
    } finally {
      await client.close();
      await worker.stop();
      await sim.stop();
    }
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  say(`latencies (s): ${sorted.map((l) => l.toFixed(2)).join(' ')}`);
  const base = { bench: BENCH, unit: 's' };
  const of = `${latencies.length} reboots, pollCapSeconds ${opts['poll-cap']}`;
  return [
    { ...base, name: `p50 (${of})`, value: round(median(latencies)) },
    { ...base, name: `p95 (${of})`, value: round(quantile(latencies, 0.95)), target: { op: '<=', value: 0.3 } },
    { ...base, name: `max (${of})`, value: round(Math.max(...latencies)) },
  ];
}

if (require.main === module) runStandalone(rebootLatencyBench);
