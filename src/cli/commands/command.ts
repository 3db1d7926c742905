/** What every kernelctl command (one file each in this folder) is, and what it is given. */
import type { ParseArgsConfig } from 'node:util';
import type { ClientOptions, HostUpgradeClient } from '../../client';
import type { Outcome } from '../../shared/types';
import { EXIT, type Values } from '../common';

export const OUTCOME_EXIT: Record<Outcome, number> = {
  upgraded: EXIT.ok,
  'rolled-back': EXIT.rolledBack,
  'needs-attention': EXIT.needsAttention,
  aborted: EXIT.aborted,
  refused: EXIT.refused,
};

/** What every per-host command gets once its flags are parsed and checked. */
export interface CommandContext {
  v: Values;
  host: string;
  json: boolean;
  clientOpts: ClientOptions;
  by: string;
  comment: string | undefined;
  reason: string | undefined;
}

/** One kernelctl command: its flags (besides the global ones), and what it does. */
export interface Command {
  options: ParseArgsConfig['options'];
  /** Whether it takes exactly one <host> (checked before anything connects). */
  needsHost: (v: Values) => boolean;
  run: (ctx: CommandContext) => Promise<number>;
}

export const ONE_HOST = () => true;

/** Prints a host's timeline as it grows; the outcome's exit code once it ends. */
export async function watch(client: HostUpgradeClient, host: string, json: boolean): Promise<number> {
  let printed = 0;
  for (;;) {
    const s = await client.status(host);
    for (const t of s.timeline.slice(printed)) {
      process.stdout.write(json ? `${JSON.stringify(t)}\n` : `${t.at}  ${t.phase.padEnd(17)} ${t.message}\n`);
    }
    printed = s.timeline.length;
    if (s.outcome) return OUTCOME_EXIT[s.outcome];
    await new Promise((r) => setTimeout(r, 1000));
  }
}
