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
import {
  rolloutHostSchema,
  rolloutRequestSchema,
  rolloutStrategySchema,
  rolloutTemplateSchema,
  sshOverridesSchema,
  sshSettingsSchema,
  sshTargetSchema,
  timeoutsSchema,
  upgradeHostInputSchema,
} from './schemas';

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
      if (!def.element) return 'array';
      return typeName(def.element).includes('|') ? `(${typeName(def.element)})[]` : `${typeName(def.element)}[]`;
    case 'union':
      // A discriminated union is one of several objects; a plain one, one of its types.
      return def.discriminator || !def.options ? 'object' : def.options.map(typeName).join(' \\| ');
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

/** The columns: the configuration table's, or the API reference's with "required" too. */
type Columns = 'config' | 'api';

/** Whether the workflow's input must have it: anything not optional (kernelctl fills in defaults). */
const required = (s: z.ZodType): string => (defOf(s).type === 'optional' ? 'no' : 'yes');

function row(field: string, s: z.ZodType, cols: Columns = 'config', meaning = s.description): string {
  const req = cols === 'api' ? ` ${required(s)} |` : '';
  return `| \`${field}\` | ${typeName(s)} |${req} ${defaultOf(s)} | ${cell(meaning)} |`;
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
function variantRows(field: string, s: z.ZodType, cols: Columns): string[] {
  const union = describedVariants(s);
  if (!union) return [];
  const prefix = typeName(s).endsWith('[]') ? `${field}[].` : `${field}.`;
  const dashes = cols === 'api' ? '— | — | —' : '— | —';
  return union.variants.flatMap((variant) => {
    const { [union.discriminator]: tag, ...fields } = variant.shape as Record<string, z.ZodType>;
    const value = tag ? defOf(tag).values?.[0] : undefined;
    return [
      `| \`${prefix}${union.discriminator}: ${JSON.stringify(value)}\` | ${dashes} | ${cell(variant.description)} |`,
      ...Object.entries(fields).map(([key, f]) => row(`${prefix}${key}`, f, cols)),
    ];
  });
}

function rows(prefix: string, shape: Record<string, z.ZodType>, cols: Columns = 'config'): string[] {
  return Object.entries(shape).flatMap(([key, s]) => [
    row(`${prefix}${key}`, s, cols),
    ...variantRows(`${prefix}${key}`, s, cols),
  ]);
}

const shapeOf = (o: { shape: unknown }) => ({ ...(o.shape as Record<string, z.ZodType>) });
const without = (shape: Record<string, z.ZodType>, ...keys: string[]) => {
  for (const k of keys) delete shape[k];
  return shape;
};

/**
 * docs/api.md's reference of the two workflows' inputs, from the same schemas: every field with
 * its type, whether the workflow needs it, the default kernelctl (and the client module) fills
 * in, and its meaning. Print it with `node dist/src/shared/config-table.js --api`.
 */
export function inputReference(): string {
  const head = ['| field | type | required | default | meaning |', '| --- | --- | --- | --- | --- |'];
  const upgrade = without(shapeOf(upgradeHostInputSchema), 'target', 'timeouts');
  const request = shapeOf(rolloutRequestSchema);
  const template = without(shapeOf(rolloutTemplateSchema), 'ssh', 'timeouts');
  const host = without(shapeOf(rolloutHostSchema), 'ssh');
  const at = (field: string) => row(field, request[field] as z.ZodType, 'api');
  const rest = without({ ...request }, 'rolloutId', 'template', 'hosts', 'strategy');
  return [
    '### `upgradeHostKernel` input',
    '',
    ...head,
    ...rows('target.', shapeOf(sshTargetSchema), 'api'),
    ...rows('', upgrade, 'api'),
    ...rows('timeouts.', shapeOf(timeoutsSchema), 'api'),
    '',
    '### `rolloutKernel` input',
    '',
    ...head,
    at('rolloutId'),
    at('template'),
    ...rows('template.ssh.', shapeOf(sshSettingsSchema), 'api'),
    ...rows('template.', template, 'api'),
    ...rows('template.timeouts.', shapeOf(timeoutsSchema), 'api'),
    at('hosts'),
    ...rows('hosts[].', host, 'api'),
    ...rows('hosts[].ssh.', shapeOf(sshOverridesSchema), 'api'),
    at('strategy'),
    ...rows('strategy.', shapeOf(rolloutStrategySchema), 'api'),
    ...rows('', rest, 'api'),
  ].join('\n');
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

if (require.main === module) {
  process.stdout.write(`${process.argv[2] === '--api' ? inputReference() : configTable()}\n`);
}
