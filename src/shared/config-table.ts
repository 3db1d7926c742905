/**
 * The README's configuration table, generated from the zod schemas (field, type, default,
 * meaning), so documentation and validation cannot drift: a unit test compares the README
 * with this output. Print it with `node dist/src/shared/config-table.js`.
 */
import { z } from 'zod';
import { timeoutsSchema, upgradeHostInputSchema, sshTargetSchema } from './schemas';

function typeName(s: z.ZodType): string {
  const def = (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } } })._zod
    .def;
  switch (def.type) {
    case 'default':
    case 'optional':
      return def.innerType ? typeName(def.innerType) : def.type;
    case 'array':
      return def.element ? `${typeName(def.element)}[]` : 'array';
    case 'union':
      return 'object';
    default:
      return def.type;
  }
}

function defaultOf(s: z.ZodType): string {
  const def = (s as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
  if (def.type !== 'default') return '—';
  const v = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
  return `\`${JSON.stringify(v)}\``;
}

function rows(prefix: string, shape: Record<string, z.ZodType>): string[] {
  return Object.entries(shape).map(
    ([key, s]) =>
      `| \`${prefix}${key}\` | ${typeName(s)} | ${defaultOf(s)} | ${(s.description ?? '').replace(/\|/g, '\\|')} |`,
  );
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
