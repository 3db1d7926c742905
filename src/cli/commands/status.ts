/** `kernelctl status <host>`: phase, timeline, outcome. */
import { EXIT, out, withClient } from '../common';
import type { UpgradeStatus } from '../../shared/types';
import { ONE_HOST, OUTCOME_EXIT, type Command } from './command';

function formatTimeline(s: { timeline: UpgradeStatus['timeline'] }): string {
  return s.timeline.map((t) => `  ${t.at}  ${t.phase.padEnd(17)} ${t.message}`).join('\n');
}

export function formatStatus(s: UpgradeStatus): string {
  // The running kernel is read at preflight, which a VM rehearsal comes before.
  const from = s.from ?? '(running kernel not read yet)';
  return [
    `${s.host}: ${s.phase}${s.outcome ? ` (${s.outcome})` : ''} — ${s.details}`,
    `  kernel ${from} → ${s.to}${s.bootloader ? `; bootloader ${s.bootloaderLabel ?? s.bootloader}` : ''}${s.waitingFor ? `; waiting for ${s.waitingFor}` : ''}`,
    ...(s.rehearsalId ? [`  VM rehearsal ${s.rehearsalId} (workflow kernel-rehearsal/${s.rehearsalId})`] : []),
    formatTimeline(s),
  ].join('\n');
}

export const status: Command = {
  options: {},
  needsHost: ONE_HOST,
  run: ({ host, json, clientOpts }) =>
    withClient(clientOpts, async (c) => {
      const s = await c.status(host);
      out(json, s, formatStatus(s));
      if (s.outcome) return OUTCOME_EXIT[s.outcome];
      // Still open but waiting for an operator's `kernelctl resolve`: needs-attention, not ok.
      return s.waitingFor === 'operator' ? EXIT.needsAttention : EXIT.ok;
    }),
};
