/**
 * A small reader of OpenSSH client configuration (~/.ssh/config), enough to connect the way
 * `ssh <alias>` would: `Host` blocks (patterns with `*`, `?`, `!negation`, several per line),
 * first obtained value wins, `Include` (globs; relative paths resolve against the directory of
 * the top-level file, which is ~/.ssh for ~/.ssh/config as in OpenSSH), and the keywords that
 * decide where and how we connect: HostName, User, Port, IdentityFile, IdentityAgent,
 * ProxyJump, ProxyCommand (refused later if it applies), UserKnownHostsFile,
 * StrictHostKeyChecking. Every other keyword is read and ignored.
 *
 * `Match` blocks are skipped, each with a warning naming its file:line. Their conditions
 * (`exec`, `localnetwork`, `canonical`, …) cannot be evaluated faithfully outside ssh, and
 * refusing would make the whole inventory unusable for anyone whose personal config has a Match
 * block for unrelated machines. Skipping cannot weaken security here: host keys are still
 * verified and nothing trusts more than the inventory says; at worst a connection uses other
 * credentials than `ssh` would and fails, and the warning says where to look (move the settings
 * into a Host block or the inventory).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { InventoryProblem, Origin } from './errors';
import { printable, ProblemList } from './errors';

type ConfigLine =
  | { kind: 'host'; patterns: string[]; origin: Origin }
  | { kind: 'match'; origin: Origin }
  | { kind: 'option'; key: string; args: string[]; origin: Origin }
  | { kind: 'include'; files: ConfigLine[][]; origin: Origin };

/** The first value obtained for a keyword (lower-cased), with where it came from. */
export interface SshConfigValue {
  keyword: string;
  args: string[];
  origin: Origin;
}

export type SshConfigValues = Map<string, SshConfigValue>;

export interface SshConfig {
  file: string;
  warnings: InventoryProblem[];
  /** Options that apply to `ssh <alias>`: first obtained value per keyword. */
  lookup(alias: string): SshConfigValues;
}

/** An empty config, for `sshConfigPath: null` or a missing ~/.ssh/config. */
export const NO_SSH_CONFIG: SshConfig = { file: '(none)', warnings: [], lookup: () => new Map() };

const MAX_INCLUDE_DEPTH = 16;

/** Reads and parses an ssh_config file and its Includes. Throws InventoryError on bad syntax. */
export async function loadSshConfig(file: string, opts: { home: string }): Promise<SshConfig> {
  const problems = new ProblemList();
  const warnings: InventoryProblem[] = [];
  const baseDir = path.dirname(path.resolve(file));
  const text = await fsp.readFile(file, 'utf8');
  const lines = await parseFile(text, file, { ...opts, baseDir, depth: 0, problems, warnings });
  problems.throwIfAny();
  return {
    file,
    warnings,
    lookup(alias: string): SshConfigValues {
      const out: SshConfigValues = new Map();
      evaluate(lines, alias, out);
      return out;
    },
  };
}

interface ParseContext {
  home: string;
  baseDir: string;
  depth: number;
  problems: ProblemList;
  warnings: InventoryProblem[];
}

async function parseFile(text: string, file: string, ctx: ParseContext): Promise<ConfigLine[]> {
  const out: ConfigLine[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = (rows[i] ?? '').trim();
    if (row === '' || row.startsWith('#')) continue;
    const m = /^([^\s=]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(row);
    const origin: Origin = { file, line: i + 1, field: m?.[1] ?? '' };
    if (!m || !m[1]) {
      ctx.problems.add(origin, 'cannot parse this line');
      continue;
    }
    const keyword = m[1].toLowerCase();
    const args = splitArgs(m[2] ?? '');
    if (args === null) {
      ctx.problems.add(origin, 'unbalanced quotes');
      continue;
    }
    if (keyword === 'host') {
      if (args.length === 0) ctx.problems.add(origin, 'Host needs at least one pattern');
      out.push({ kind: 'host', patterns: args, origin });
    } else if (keyword === 'match') {
      ctx.warnings.push({
        ...origin,
        file: printable(origin.file),
        field: printable(origin.field),
        message:
          'Match blocks are not evaluated by kernel-rollout; the options up to the next Host or Match line are ignored (put settings the inventory needs in a Host block or in the inventory)',
      });
      out.push({ kind: 'match', origin });
    } else if (keyword === 'include') {
      if (ctx.depth >= MAX_INCLUDE_DEPTH) {
        ctx.problems.add(origin, `Include nested deeper than ${MAX_INCLUDE_DEPTH} files`);
        continue;
      }
      const files: ConfigLine[][] = [];
      for (const arg of args) {
        const pattern = arg.startsWith('~/') ? path.join(ctx.home, arg.slice(2)) : path.resolve(ctx.baseDir, arg);
        for (const included of await expandGlob(pattern)) {
          const body = await fsp.readFile(included, 'utf8');
          files.push(await parseFile(body, included, { ...ctx, depth: ctx.depth + 1 }));
        }
      }
      out.push({ kind: 'include', files, origin });
    } else {
      if (args.length === 0) ctx.problems.add(origin, 'missing value');
      out.push({ kind: 'option', key: keyword, args, origin: { ...origin, field: m[1] } });
    }
  }
  return out;
}

/** OpenSSH argument splitting: whitespace separated, double quotes group, `#` starts a comment. */
function splitArgs(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length || s[i] === '#') break;
    let token = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      if (s[i] === '"') {
        const end = s.indexOf('"', i + 1);
        if (end < 0) return null;
        token += s.slice(i + 1, end);
        i = end + 1;
      } else {
        token += s[i];
        i++;
      }
    }
    out.push(token);
  }
  return out;
}

function evaluate(lines: ConfigLine[], alias: string, out: SshConfigValues): void {
  let active = true;
  for (const line of lines) {
    switch (line.kind) {
      case 'host':
        active = hostPatternsMatch(line.patterns, alias);
        break;
      case 'match':
        active = false;
        break;
      case 'include':
        // As in OpenSSH: an Include under an inactive block contributes nothing; under an active
        // one, its own Host lines decide, and the enclosing block's state resumes after it.
        if (active) for (const f of line.files) evaluate(f, alias, out);
        break;
      case 'option': {
        if (!active) break;
        // ProxyJump and ProxyCommand exclude each other: whichever comes first wins.
        const key = line.key === 'proxyjump' || line.key === 'proxycommand' ? 'proxy' : line.key;
        if (!out.has(key)) out.set(key, { keyword: line.key, args: line.args, origin: line.origin });
        break;
      }
    }
  }
}

const patternCache = new Map<string, RegExp>();

/**
 * `*` and `?` globs, compared case-sensitively: OpenSSH matches `Host` patterns against the
 * name exactly as given on the command line (`ssh -G -F f WEB` does not apply `Host web`).
 */
export function globToRegExp(glob: string): RegExp {
  let re = patternCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    patternCache.set(glob, re);
  }
  return re;
}

/** A Host line matches when some pattern matches and no `!pattern` does. */
export function hostPatternsMatch(patterns: readonly string[], alias: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(alias)) return false;
    } else if (globToRegExp(p).test(alias)) {
      matched = true;
    }
  }
  return matched;
}

/** Expands `*`/`?` in any path segment; sorted like glob(3); no match → nothing (as OpenSSH). */
async function expandGlob(pattern: string): Promise<string[]> {
  if (!/[*?]/.test(pattern)) {
    return (await exists(pattern)) ? [pattern] : [];
  }
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?]/.test(part)) {
        next.push(path.join(base, part));
        continue;
      }
      const re = new RegExp(
        `^${part
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      let names: string[];
      try {
        names = await fsp.readdir(base);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (!n.startsWith('.') && re.test(n)) next.push(path.join(base, n));
    }
    bases = next;
  }
  const files: string[] = [];
  for (const b of bases) if (await exists(b)) files.push(b);
  return files;
}

async function exists(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** One hop of a ProxyJump chain as written: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface HopSpec {
  user?: string;
  host: string;
  port?: number;
  /** A key given for this hop alone (`-i`/IdentityFile in a ProxyCommand's ssh), absolute. */
  identityFile?: string;
  text: string;
}

/** Parses a ProxyJump value (comma chain). Returns an error message instead of throwing. */
export function parseProxyJump(value: string): HopSpec[] | string {
  const hops: HopSpec[] = [];
  for (const raw of value.split(',')) {
    const text = raw.trim();
    const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
    if (!m || !m[2]) return `${JSON.stringify(text)} is not [user@]host[:port]`;
    const port = m[3] !== undefined ? Number(m[3]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) return `${JSON.stringify(text)}: port must be 1-65535`;
    hops.push({
      text,
      host: m[2].replace(/^\[|\]$/g, ''),
      ...(m[1] !== undefined ? { user: m[1] } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  }
  return hops;
}

/**
 * Expands `~` and OpenSSH's %-tokens (`%%` and the ones given). An unknown token is an error:
 * a path we would guess at is worse than a refusal.
 */
export function expandTokens(value: string, tokens: Record<string, string>, home: string): string | Error {
  let bad: string | undefined;
  let s = value.replace(/%(.)/g, (whole: string, t: string) => {
    if (t === '%') return '%';
    const v = tokens[t];
    if (v === undefined) {
      bad = whole;
      return whole;
    }
    return v;
  });
  if (bad !== undefined)
    return new Error(
      `unsupported token ${bad} (supported: %% ${Object.keys(tokens)
        .map((t) => `%${t}`)
        .join(' ')})`,
    );
  if (s === '~') s = home;
  else if (s.startsWith('~/')) s = path.join(home, s.slice(2));
  return s;
}
