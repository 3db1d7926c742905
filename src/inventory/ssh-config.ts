/**
 * A small reader of OpenSSH client configuration (~/.ssh/config), enough to connect the way
 * `ssh <alias>` would: `Host` blocks (patterns with `*`, `?`, `!negation`, several per line),
 * first obtained value wins, `Include` (globs; a relative path is read from ~/.ssh, as OpenSSH
 * does for every user config, the one given with `-F` / `--ssh-config` included), and the
 * keywords that decide where and how we connect: HostName, User, Port, IdentityFile (the first
 * one that is not `none`), IdentityAgent, ProxyJump, ProxyCommand (refused later if it applies),
 * UserKnownHostsFile, StrictHostKeyChecking, CanonicalizeHostname (refused later unless `no`).
 * Every other keyword is read and ignored.
 *
 * `Match` blocks are evaluated as `ssh -G` evaluates them (OpenSSH 9.x, without
 * CanonicalizeHostname): the criteria `all`, `canonical`, `final`, `host`, `originalhost`,
 * `user` and `localuser`, each negatable with `!`, their arguments comma lists of patterns
 * (`!pattern` excludes), all criteria of a line ANDed. `host` is the name after HostName so far
 * (compared case-insensitively), `originalhost` the name given, `user` the user so far (the
 * inventory's, else ssh_config's so far, else the local login name, as ssh). A `Match final` (or
 * `canonical`) anywhere makes a second pass, as ssh does: the same files are read again with
 * `final` and `canonical` true and `Host` lines matched against the resolved, lower-cased
 * HostName. Criteria that need a command or the network (`exec`, `localnetwork`, `tagged`, …)
 * cannot be evaluated: such a line is refused, naming its file:line, for the hosts it could
 * apply to (when another criterion of the line already fails, the line is simply inactive).
 * An unknown criterion or a malformed Match line is refused at load, as ssh refuses the file.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { InventoryProblem, Origin } from './errors';
import { InventoryError, printable, ProblemList } from './errors';

/** One criterion of a Match line (`arg` for those that take one). */
interface MatchCriterion {
  attr: string;
  negate: boolean;
  arg?: string;
}

type ConfigLine =
  | { kind: 'host'; patterns: string[]; origin: Origin }
  | { kind: 'match'; criteria: MatchCriterion[]; origin: Origin }
  | { kind: 'option'; key: string; args: string[]; origin: Origin }
  | { kind: 'include'; files: ConfigLine[][]; origin: Origin };

/** The first value obtained for a keyword (lower-cased), with where it came from. */
export interface SshConfigValue {
  keyword: string;
  args: string[];
  origin: Origin;
}

export type SshConfigValues = Map<string, SshConfigValue>;

/** What ssh knows before it reads its config: the user given on its command line, the local one. */
export interface LookupContext {
  /** The user given with `-l` / `-o User=` (for kernel-rollout: the inventory's). */
  user?: string;
  /** A HostName given on the command line (a native inventory's own address). */
  hostName?: string;
  /** The local login name (`Match localuser`, and `Match user` when nothing sets a user). */
  localUser: string;
  /** Where a Match line that cannot be evaluated for this host is reported; default: thrown. */
  problem?: (origin: Origin, message: string) => void;
}

export interface SshConfig {
  file: string;
  warnings: InventoryProblem[];
  /** Options that apply to `ssh <alias>`: first obtained value per keyword. */
  lookup(alias: string, ctx?: LookupContext): SshConfigValues;
}

/** An empty config, for `sshConfigPath: null` or a missing ~/.ssh/config. */
export const NO_SSH_CONFIG: SshConfig = { file: '(none)', warnings: [], lookup: () => new Map() };

const MAX_INCLUDE_DEPTH = 16;

/** Reads and parses an ssh_config file and its Includes. Throws InventoryError on bad syntax. */
export async function loadSshConfig(file: string, opts: { home: string; localUser?: string }): Promise<SshConfig> {
  const problems = new ProblemList();
  const warnings: InventoryProblem[] = [];
  // OpenSSH reads a relative Include of a user config (~/.ssh/config or -F FILE) from ~/.ssh.
  const baseDir = path.join(opts.home, '.ssh');
  const text = await fsp.readFile(file, 'utf8');
  const lines = await parseFile(text, file, { ...opts, baseDir, depth: 0, problems, warnings });
  problems.throwIfAny();
  return {
    file,
    warnings,
    lookup(alias: string, ctx?: LookupContext): SshConfigValues {
      return lookupIn(lines, alias, ctx ?? { localUser: opts.localUser ?? 'root' });
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
      const criteria = parseMatch(args);
      if (typeof criteria === 'string') ctx.problems.add(origin, criteria);
      else out.push({ kind: 'match', criteria, origin });
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

/** Criteria kernel-rollout evaluates; the others OpenSSH knows are refused where they matter. */
const EVALUATED = new Set(['all', 'canonical', 'final', 'host', 'originalhost', 'user', 'localuser']);
/** Criteria OpenSSH (9.2 or later) evaluates by running a command or asking the system. */
const NOT_EVALUATED = new Set(['exec', 'localnetwork', 'tagged', 'version', 'sessiontype', 'command']);

/** A Match line's criteria as OpenSSH reads them (readconf.c match_cfg_line), or why not. */
function parseMatch(args: string[]): MatchCriterion[] | string {
  // `Match host=web` reads as `Match host web` (OpenSSH splits a word at its first `=`).
  const words = args.flatMap((a) => {
    const m = /^(!?[A-Za-z]+)=(.+)$/.exec(a);
    return m ? [m[1]!, m[2]!] : [a];
  });
  if (words.length === 0) return 'Match needs at least one criterion (all, host, originalhost, user, localuser, …)';
  const out: MatchCriterion[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('#')) break;
    const negate = word.startsWith('!');
    const attr = (negate ? word.slice(1) : word).toLowerCase();
    if (attr === 'all') {
      const rest = words[i + 1];
      if (out.length > 1 || (rest !== undefined && !rest.startsWith('#')))
        return `'all' cannot be combined with other Match criteria (except a preceding canonical or final)`;
      out.push({ attr, negate });
      break;
    }
    if (attr === 'canonical' || attr === 'final') {
      out.push({ attr, negate });
      continue;
    }
    if (!EVALUATED.has(attr) && !NOT_EVALUATED.has(attr))
      return `unsupported Match criterion ${JSON.stringify(word)} (kernel-rollout evaluates all, canonical, final, host, originalhost, user, localuser)`;
    const arg = words[++i];
    if (arg === undefined || arg === '' || arg.startsWith('#')) return `Match ${attr} needs an argument`;
    out.push({ attr, negate, arg });
  }
  if (out.length === 0) return 'Match needs at least one criterion';
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

interface Pass {
  alias: string;
  /** The first pass (false) or the final one (true). */
  final: boolean;
  /** What `Host` lines are matched against: the alias, then the resolved lower-cased name. */
  hostArg: string;
  ctx: LookupContext;
  out: SshConfigValues;
  wantFinal: boolean;
}

function lookupIn(lines: ConfigLine[], alias: string, ctx: LookupContext): SshConfigValues {
  const out: SshConfigValues = new Map();
  if (ctx.hostName !== undefined)
    out.set('hostname', {
      keyword: 'hostname',
      args: [ctx.hostName],
      origin: { file: '', line: 0, field: 'HostName' },
    });
  const first: Pass = { alias, final: false, hostArg: alias, ctx, out, wantFinal: false };
  evaluate(lines, first, false);
  // ssh.c: the HostName so far (with %h) or the name given, lower-cased, is the host the
  // configuration is read again for; HostName is then fixed.
  const finalHost = currentHost(first).toLowerCase();
  if (ctx.hostName !== undefined) out.delete('hostname');
  if (first.wantFinal) evaluate(lines, { ...first, final: true, hostArg: finalHost }, false);
  return out;
}

/** `%h` (and `%%`) of a HostName, as ssh expands it before matching. */
function currentHost(p: Pass): string {
  const h = p.out.get('hostname')?.args[0];
  return h === undefined ? p.alias : h.replace(/%([%h])/g, (_, t: string) => (t === 'h' ? p.alias : '%'));
}

function evaluate(lines: ConfigLine[], p: Pass, neverMatch: boolean): void {
  let active = true;
  for (const line of lines) {
    switch (line.kind) {
      case 'host':
        active = !neverMatch && hostPatternsMatch(line.patterns, p.hostArg);
        break;
      case 'match': {
        const r = matchLine(line.criteria, p);
        if (typeof r === 'string') {
          // Only a line that could apply is refused: the others are inactive whatever the answer.
          (p.ctx.problem ?? throwProblem)(line.origin, r);
          active = false;
        } else active = !neverMatch && r;
        break;
      }
      case 'include':
        // As in OpenSSH: an Include under an inactive block contributes nothing (but a
        // `Match final` in it still asks for the final pass); under an active one, its own Host
        // lines decide, and the enclosing block's state resumes after it.
        for (const f of line.files) evaluate(f, p, neverMatch || !active);
        break;
      case 'option': {
        if (!active) break;
        // HostName is fixed before the final pass (ssh.c sets it to the resolved name).
        if (p.final && line.key === 'hostname') break;
        // IdentityFile none adds nothing (ssh skips it when loading keys); the next one counts.
        if (line.key === 'identityfile' && line.args[0]?.toLowerCase() === 'none') {
          if (!p.out.has('identityfile-none'))
            p.out.set('identityfile-none', { keyword: line.key, args: line.args, origin: line.origin });
          break;
        }
        // ProxyJump and ProxyCommand exclude each other: whichever comes first wins.
        const key = line.key === 'proxyjump' || line.key === 'proxycommand' ? 'proxy' : line.key;
        if (!p.out.has(key)) p.out.set(key, { keyword: line.key, args: line.args, origin: line.origin });
        break;
      }
    }
  }
}

function throwProblem(origin: Origin, message: string): never {
  throw new InventoryError([{ ...origin, file: printable(origin.file), message }]);
}

/**
 * One Match line for this pass: true/false, or why it cannot be told (a criterion kernel-rollout
 * does not evaluate, on a line whose other criteria all hold).
 */
function matchLine(criteria: MatchCriterion[], p: Pass): boolean | string {
  let result = true;
  let unknown: MatchCriterion | undefined;
  for (const c of criteria) {
    let r: boolean;
    switch (c.attr) {
      case 'all':
        r = true;
        break;
      case 'canonical':
      case 'final':
        if (c.attr === 'final') p.wantFinal = true;
        r = p.final;
        break;
      case 'host':
        r = patternListMatches(currentHostForMatch(p).toLowerCase(), c.arg!.toLowerCase());
        break;
      case 'originalhost':
        r = patternListMatches(p.alias.toLowerCase(), c.arg!.toLowerCase());
        break;
      case 'user':
        r = patternListMatches(p.ctx.user ?? p.out.get('user')?.args[0] ?? p.ctx.localUser, c.arg!);
        break;
      case 'localuser':
        r = patternListMatches(p.ctx.localUser, c.arg!);
        break;
      default:
        unknown ??= c;
        continue;
    }
    if (r === c.negate) result = false;
  }
  if (!result) return false;
  if (unknown) {
    return `Match ${unknown.negate ? '!' : ''}${unknown.attr} cannot be evaluated by kernel-rollout (it ${
      unknown.attr === 'exec' ? 'runs a command' : 'depends on the local system'
    }); move the settings into a Host block or the inventory`;
  }
  return true;
}

function currentHostForMatch(p: Pass): string {
  return p.final ? p.hostArg : currentHost(p);
}

/**
 * OpenSSH's match_pattern_list: a comma list of `*`/`?` patterns; true when some pattern matches
 * and no `!pattern` does.
 */
export function patternListMatches(value: string, list: string): boolean {
  return hostPatternsMatch(list.split(','), value);
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
