/**
 * `kernelctl worker --metrics-address HOST:PORT`: Prometheus metrics from the worker's runtime —
 * the SDK's own (workflow and activity task latencies, poll counts, …) and kernel-rollout's. The
 * workflows record their events themselves (src/workflows/metrics.ts); what is a state of the
 * fleet rather than an event — hosts waiting for an operator, rollouts by phase — is counted here
 * from Temporal's visibility (the search attributes the workflows keep), so it is right whichever
 * worker ran what and survives worker restarts. Names and alert examples: docs/operations.md.
 */
import { Client, Connection } from '@temporalio/client';
import { Runtime, type Logger } from '@temporalio/worker';
import type { ClientOptions } from '../client';
import { METRIC, PHASE_SECONDS_BUCKETS } from '../workflows/metrics';

export const GAUGE = {
  needsAttention: 'kernel_rollout_hosts_needs_attention',
  rollouts: 'kernel_rollout_rollouts',
} as const;

/** The rollout phases a running rollout can be in (its search attribute's values). */
const RUNNING_ROLLOUT_PHASES = ['running', 'waiting-for-approval', 'waiting-for-window', 'between-batches', 'paused'];

/** HOST:PORT to bind the exporter to; refused unless it is one. */
export function checkMetricsAddress(address: string): string | null {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253}):([0-9]{1,5})$/.exec(address);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return 'must be HOST:PORT, e.g. 127.0.0.1:9464';
  return null;
}

/** Installs the runtime with the Prometheus exporter; call before anything else uses the runtime. */
export function installMetricsRuntime(bindAddress: string, logger?: Logger): void {
  Runtime.install({
    ...(logger ? { logger } : {}),
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
          histogramBucketOverrides: { [METRIC.phaseSeconds]: PHASE_SECONDS_BUCKETS },
        },
      },
    },
  });
}

/**
 * Sets the visibility gauges every `intervalMs` until the returned stop is called. A failed count
 * (a server without advanced visibility, a network blip) leaves the last value and is logged.
 */
export async function startVisibilityGauges(options: ClientOptions, intervalMs = 15_000): Promise<() => Promise<void>> {
  const connection = await Connection.connect({ address: options.address, ...(options.transport ?? {}) });
  const client = new Client({ connection, namespace: options.namespace });
  const meter = Runtime.instance().metricMeter;
  const needsAttention = meter.createGauge(
    GAUGE.needsAttention,
    'int',
    '1',
    'Per-host runs waiting for an operator (kernelctl resolve)',
  );
  const rollouts = meter.createGauge(GAUGE.rollouts, 'int', '1', 'Running rollouts, by phase');
  const count = async (query: string) => Number((await client.workflow.count(query)).count);
  const poll = async () => {
    try {
      needsAttention.set(
        await count(
          "WorkflowType = 'upgradeHostKernel' AND ExecutionStatus = 'Running' AND KernelRolloutPhase = 'needs-attention'",
        ),
      );
      for (const phase of RUNNING_ROLLOUT_PHASES) {
        rollouts.set(
          await count(
            `WorkflowType = 'rolloutKernel' AND ExecutionStatus = 'Running' AND KernelRolloutPhase = '${phase}'`,
          ),
          { phase },
        );
      }
    } catch (err) {
      Runtime.instance().logger.warn(`metrics: counting runs failed: ${(err as Error).message}`);
    }
  };
  await poll();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = () => {
    timer = setTimeout(() => {
      void poll().then(() => {
        if (!stopped) loop();
      });
    }, intervalMs);
  };
  loop();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await connection.close();
  };
}
