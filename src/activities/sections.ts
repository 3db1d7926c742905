/**
 * Several read-only commands in one SSH round trip: each prints a marker line with its section's
 * name, then its output; `splitSections` takes the output apart again. Preflight's facts script
 * and the drivers' state reads use it.
 */
const MARK = '@@kernel-rollout@@';

/** A section of a round trip: its name and the shell command (run as root) that prints it. */
export type FactSection = readonly [name: string, command: string];

/**
 * Whether the running system was booted through UEFI (the kernel shows /sys/firmware/efi only
 * then): `yes`, else empty. Read by preflight (pstore on UEFI) and by bootloader drivers.
 */
export const UEFI_SECTION: FactSection = ['uefi', '[ -d /sys/firmware/efi ] && echo yes'];

/** One section of a multi-command SSH round trip: a marker line, then the command's output. */
export function sectionCommand(name: string, cmd: string): string {
  return `echo '${MARK} ${name}'; { ${cmd}; } 2>/dev/null`;
}

/**
 * A section that keeps its command's error output (in its text) and never fails the round trip:
 * for steps whose caller reads their success from what they print.
 */
export function sectionCommandKeepingErrors(name: string, cmd: string): string {
  return `echo '${MARK} ${name}'; { ${cmd}; } 2>&1; true`;
}

/** The sections' commands, then an end marker; every section is printed even when its command fails. */
export function sectionsScript(sections: readonly FactSection[]): string {
  return sections
    .map(([name, cmd]) => sectionCommand(name, cmd))
    .concat([`echo '${MARK} end'`])
    .join('\n');
}

/** The output before the first section marker (a command's own), and the sections after it. */
export function splitLeadAndSections(output: string): { lead: string; sections: Record<string, string> } {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${MARK} `));
  if (at < 0) return { lead: output, sections: {} };
  return { lead: lines.slice(0, at).join('\n'), sections: splitSections(lines.slice(at).join('\n')) };
}

export function splitSections(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name: string | null = null;
  let buf: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      if (name) out[name] = buf.join('\n').trim();
      name = line.slice(MARK.length + 1).trim();
      buf = [];
    } else {
      buf.push(line);
    }
  }
  if (name && name !== 'end') out[name] = buf.join('\n').trim();
  return out;
}
