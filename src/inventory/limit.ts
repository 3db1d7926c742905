/**
 * `--limit` patterns, as Ansible's: `all` or `*`; host and group names; globs (`web-*`, `db?`);
 * `~regex`; several terms joined by `:` or `,` — plain terms are a union, `&term` intersects,
 * `!term` excludes (applied in that order, whatever the order written). A term that matches
 * nothing is an error naming it: a typo must not silently shrink a rollout. The result keeps
 * inventory order.
 */
import type { Inventory, InventoryHost } from './model';

export class LimitPatternError extends Error {
  override name = 'LimitPatternError';
}

export function selectHosts(inventory: Inventory, pattern: string): InventoryHost[] {
  const terms = splitTerms(pattern);
  if (terms.length === 0) throw new LimitPatternError('empty --limit pattern');
  const unmatched: string[] = [];
  const union = new Set<string>();
  const intersections: Set<string>[] = [];
  const exclusions: Set<string>[] = [];
  let anyUnion = false;
  for (const raw of terms) {
    const op = raw[0] === '&' || raw[0] === '!' ? raw[0] : '';
    const term = op ? raw.slice(1) : raw;
    if (term === '') throw new LimitPatternError(`empty term in --limit pattern ${JSON.stringify(pattern)}`);
    const names = matchTerm(inventory, term);
    if (names === null) {
      unmatched.push(raw);
      continue;
    }
    if (op === '&') intersections.push(names);
    else if (op === '!') exclusions.push(names);
    else {
      anyUnion = true;
      for (const n of names) union.add(n);
    }
  }
  if (unmatched.length > 0) {
    throw new LimitPatternError(
      `--limit: ${unmatched.map((u) => JSON.stringify(u)).join(', ')} select${unmatched.length === 1 ? 's' : ''} no host in ${inventory.file} (names are case-sensitive)`,
    );
  }
  return inventory.hosts.filter(
    (h) =>
      (anyUnion ? union.has(h.name) : true) &&
      intersections.every((s) => s.has(h.name)) &&
      exclusions.every((s) => !s.has(h.name)),
  );
}

/** Commas separate terms when present; otherwise colons (Ansible's rule). */
function splitTerms(pattern: string): string[] {
  const sep = pattern.includes(',') ? ',' : ':';
  return pattern
    .split(sep)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Host names a term selects, or null when it matches nothing. */
function matchTerm(inventory: Inventory, term: string): Set<string> | null {
  if (term === 'all' || term === '*') return new Set(inventory.hosts.map((h) => h.name));
  const group = inventory.groups[term];
  if (group !== undefined) return group.length > 0 || term === 'ungrouped' ? new Set(group) : null;
  if (inventory.hosts.some((h) => h.name === term)) return new Set([term]);
  let test: (s: string) => boolean;
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch (e) {
      throw new LimitPatternError(`--limit: ${term} is not a valid regular expression (${(e as Error).message})`);
    }
    test = (s) => re.test(s);
  } else if (/[*?]/.test(term)) {
    const body = term
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    const re = new RegExp(`^${body}$`);
    test = (s) => re.test(s);
  } else {
    return null;
  }
  const out = new Set<string>();
  for (const h of inventory.hosts) if (test(h.name)) out.add(h.name);
  for (const [g, members] of Object.entries(inventory.groups)) if (test(g)) for (const m of members) out.add(m);
  return out.size > 0 ? out : null;
}
