/**
 * Inventory problems name the file, the line and the field, like a compiler:
 *   inv.yaml:14: hosts.web-2.port: must be 1-65535
 * so an operator can jump straight to the mistake. A loader collects every problem it can find
 * before throwing, so one run shows them all.
 */
import { CONTROL_CHARS_RE } from '../shared/shell';

/** Where a value came from: an inventory file, an ssh_config file, or the caller's defaults. */
export interface Origin {
  file: string;
  /** 1-based; 0 when the value has no line (the caller's defaults). */
  line: number;
  /** The field in the file's own words: `hosts.web-2.port`, `ansible_port`, `User`. */
  field: string;
}

export interface InventoryProblem extends Origin {
  message: string;
}

export function formatProblem(p: InventoryProblem): string {
  const file = printable(p.file);
  const where = p.line > 0 ? `${file}:${p.line}` : file;
  return p.field ? `${where}: ${printable(p.field)}: ${printable(p.message)}` : `${where}: ${printable(p.message)}`;
}

/**
 * Text from a file (names, values, paths) is shown with control characters, DEL, C1 controls and
 * bidirectional overrides escaped (`\x1b`, `\u202e`): a file must not be able to drive the
 * operator's terminal through an error message.
 */
export function printable(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARS_RE.source, 'g'), (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const MAX_LISTED = 25;

export class InventoryError extends Error {
  override name = 'InventoryError';
  constructor(readonly problems: InventoryProblem[]) {
    const lines = problems.slice(0, MAX_LISTED).map(formatProblem);
    if (problems.length > MAX_LISTED) lines.push(`… and ${problems.length - MAX_LISTED} more`);
    super(lines.join('\n'));
  }
}

/** Collects problems; `throwIfAny` ends a phase of loading when something was wrong. */
export class ProblemList {
  readonly problems: InventoryProblem[] = [];
  private readonly seen = new Set<string>();

  /**
   * `context` (e.g. "for host web-1") is shown but not compared: one bad line in ~/.ssh/config
   * that applies to 10,000 hosts is reported once.
   */
  add(origin: Origin, message: string, context?: string): void {
    const p = {
      file: printable(origin.file),
      line: origin.line,
      field: printable(origin.field),
      message: printable(message),
    };
    const key = formatProblem(p);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(context ? { ...p, message: `${p.message} (${printable(context)})` } : p);
  }

  /** Throws with the problems in file and line order, like a compiler's listing. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const sorted = [...this.problems].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
    throw new InventoryError(sorted);
  }
}

/** Suggests the closest known word for a typo (edit distance ≤ 2), for "unknown key" messages. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
