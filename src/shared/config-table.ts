/**
 * The configuration table (docs/configuration.md), generated from the zod schemas (field, type, default,
 * meaning), so documentation and validation cannot drift: a unit test compares docs/configuration.md
 * with this output. Print it with `node dist/src/shared/config-table.js`.
 *
 * A field that is a discriminated union of described variants (the power drivers, the health
 * checks: their unions are built from the driver registries) gets one row per variant, named by
 * its discriminator value, followed by that variant's own fields: a new driver appears here
 * without a change to this file.
 */
import { z } from 'zod';
import { timeoutsSchema, upgradeHostInputSchema, sshTargetSchema } from './schemas';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  defaultValue?: unknown;
  discriminator?: string;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  values?: unknown[];
  entries?: Record<string, string>;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function typeName(s: z.ZodType): string {
  const def = defOf(s);
  switch (def.type) {
    case 'default':
    case 'optional':
      return def.innerType ? typeName(def.innerType) : def.type;
    case 'array':
      return def.element ? `${typeName(def.element)}[]` : 'array';
    case 'union':
      return 'object';
    case 'enum':
      return def.entries
        ? Object.values(def.entries)
            .map((v) => JSON.stringify(v))
            .join(' \\| ')
        : 'enum';
    default:
      return def.type;
  }
}

function defaultOf(s: z.ZodType): string {
  const def = defOf(s);
  if (def.type !== 'default') return '—';
  const v = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
  return `\`${JSON.stringify(v)}\``;
}

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|');

function row(field: string, s: z.ZodType, meaning = s.description): string {
  return `| \`${field}\` | ${typeName(s)} | ${defaultOf(s)} | ${cell(meaning)} |`;
}

/** The discriminated union under default/optional/array wrappers, when every variant is described. */
function describedVariants(s: z.ZodType): { discriminator: string; variants: z.ZodObject[] } | null {
  let def = defOf(s);
  while (
    (def.type === 'default' || def.type === 'optional' || def.type === 'array') &&
    (def.innerType ?? def.element)
  ) {
    def = defOf((def.innerType ?? def.element) as z.ZodType);
  }
  if (def.type !== 'union' || !def.discriminator || !def.options) return null;
  if (!def.options.every((o) => defOf(o).type === 'object' && o.description)) return null;
  return { discriminator: def.discriminator, variants: def.options as z.ZodObject[] };
}

/** `power`: its own row, then per variant `power.driver: "qmp"` and the variant's other fields. */
function variantRows(field: string, s: z.ZodType): string[] {
  const union = describedVariants(s);
  if (!union) return [];
  const prefix = typeName(s).endsWith('[]') ? `${field}[].` : `${field}.`;
  return union.variants.flatMap((variant) => {
    const { [union.discriminator]: tag, ...fields } = variant.shape as Record<string, z.ZodType>;
    const value = tag ? defOf(tag).values?.[0] : undefined;
    return [
      `| \`${prefix}${union.discriminator}: ${JSON.stringify(value)}\` | — | — | ${cell(variant.description)} |`,
      ...Object.entries(fields).map(([key, f]) => row(`${prefix}${key}`, f)),
    ];
  });
}

function rows(prefix: string, shape: Record<string, z.ZodType>): string[] {
  return Object.entries(shape).flatMap(([key, s]) => [row(`${prefix}${key}`, s), ...variantRows(`${prefix}${key}`, s)]);
}

export function configTable(): string {
  const top = { ...upgradeHostInputSchema.shape } as Record<string, z.ZodType>;
  delete top['target'];
  delete top['timeouts'];
  return [
    '| field | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows('target.', sshTargetSchema.shape as Record<string, z.ZodType>),
    ...rows('', top),
    ...rows('timeouts.', timeoutsSchema.shape as Record<string, z.ZodType>),
  ].join('\n');
}

if (require.main === module) process.stdout.write(`${configTable()}\n`);
