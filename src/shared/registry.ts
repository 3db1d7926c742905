/**
 * The one shape of a driver registry, used by every seam (bootloader, package manager, installer,
 * power, health check, build source, build config). A seam is a small interface that extends
 * `Driver<Kind>`, one file per driver exporting one module object of that interface (its `kind`
 * literal, its zod option schema where the operator configures it, its implementation), and one
 * line per driver in the seam's `defineRegistry([...])`. The kind union and, where drivers have
 * schemas, the schema union are inferred from that list: no cast anywhere
 * (test/unit/registries.test.ts checks it).
 *
 * Generic and import-free, so src/shared depends on nothing above it and the workflow sandbox
 * could load it (it does not: registries live with the activities).
 */

/** What every driver module is: its kind, the value a request or a configuration names it by. */
export interface Driver<Kind extends string = string> {
  readonly kind: Kind;
}

export interface Registry<D extends Driver> {
  /** The drivers, in the registry's order (the detection order, where a seam detects). */
  readonly drivers: readonly D[];
  /** Their kinds, in the same order. */
  readonly kinds: readonly D['kind'][];
  /** The driver of `kind`, or undefined when none is registered (the seam refuses in its own words). */
  find(kind: string): D | undefined;
}

/** A registry over `drivers`, one line each; a kind listed twice is refused when it is defined. */
export function defineRegistry<const T extends readonly Driver[]>(drivers: T): Registry<T[number]> {
  const kinds = drivers.map((d): T[number]['kind'] => d.kind);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (twice !== undefined) throw new Error(`registry: kind ${twice} is listed twice (${kinds.join(', ')})`);
  return { drivers, kinds, find: (kind) => drivers.find((d) => d.kind === kind) };
}
