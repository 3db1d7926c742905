"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.inputReference = inputReference;
exports.configTable = configTable;
const schemas_1 = require("./schemas");
const defOf = (s) => s._zod.def;
function typeName(s) {
    const def = defOf(s);
    switch (def.type) {
        case 'default':
        case 'optional':
            return def.innerType ? typeName(def.innerType) : def.type;
        case 'array':
            if (!def.element)
                return 'array';
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
function defaultOf(s) {
    const def = defOf(s);
    if (def.type !== 'default')
        return '—';
    const v = typeof def.defaultValue === 'function' ? def.defaultValue() : def.defaultValue;
    return `\`${JSON.stringify(v)}\``;
}
const cell = (text) => (text ?? '').replace(/\|/g, '\\|');
/** Whether the workflow's input must have it: anything not optional (kernelctl fills in defaults). */
const required = (s) => (defOf(s).type === 'optional' ? 'no' : 'yes');
function row(field, s, cols = 'config', meaning = s.description) {
    const req = cols === 'api' ? ` ${required(s)} |` : '';
    return `| \`${field}\` | ${typeName(s)} |${req} ${defaultOf(s)} | ${cell(meaning)} |`;
}
/** The discriminated union under default/optional/array wrappers, when every variant is described. */
function describedVariants(s) {
    let def = defOf(s);
    while ((def.type === 'default' || def.type === 'optional' || def.type === 'array') &&
        (def.innerType ?? def.element)) {
        def = defOf((def.innerType ?? def.element));
    }
    if (def.type !== 'union' || !def.discriminator || !def.options)
        return null;
    if (!def.options.every((o) => defOf(o).type === 'object' && o.description))
        return null;
    return { discriminator: def.discriminator, variants: def.options };
}
/** `power`: its own row, then per variant `power.driver: "qmp"` and the variant's other fields. */
function variantRows(field, s, cols) {
    const union = describedVariants(s);
    if (!union)
        return [];
    const prefix = typeName(s).endsWith('[]') ? `${field}[].` : `${field}.`;
    const dashes = cols === 'api' ? '— | — | —' : '— | —';
    return union.variants.flatMap((variant) => {
        const { [union.discriminator]: tag, ...fields } = variant.shape;
        const value = tag ? defOf(tag).values?.[0] : undefined;
        return [
            `| \`${prefix}${union.discriminator}: ${JSON.stringify(value)}\` | ${dashes} | ${cell(variant.description)} |`,
            ...Object.entries(fields).map(([key, f]) => row(`${prefix}${key}`, f, cols)),
        ];
    });
}
function rows(prefix, shape, cols = 'config') {
    return Object.entries(shape).flatMap(([key, s]) => [
        row(`${prefix}${key}`, s, cols),
        ...variantRows(`${prefix}${key}`, s, cols),
    ]);
}
const shapeOf = (o) => ({ ...o.shape });
const without = (shape, ...keys) => {
    for (const k of keys)
        delete shape[k];
    return shape;
};
/**
 * docs/api.md's reference of the two workflows' inputs, from the same schemas: every field with
 * its type, whether the workflow needs it, the default kernelctl (and the client module) fills
 * in, and its meaning. Print it with `node dist/src/shared/config-table.js --api`.
 */
function inputReference() {
    const head = ['| field | type | required | default | meaning |', '| --- | --- | --- | --- | --- |'];
    const upgrade = without(shapeOf(schemas_1.upgradeHostInputSchema), 'target', 'timeouts');
    const request = shapeOf(schemas_1.rolloutRequestSchema);
    const template = without(shapeOf(schemas_1.rolloutTemplateSchema), 'ssh', 'timeouts');
    const host = without(shapeOf(schemas_1.rolloutHostSchema), 'ssh');
    const at = (field) => row(field, request[field], 'api');
    const rest = without({ ...request }, 'rolloutId', 'template', 'hosts', 'strategy');
    return [
        '### `upgradeHostKernel` input',
        '',
        ...head,
        ...rows('target.', shapeOf(schemas_1.sshTargetSchema), 'api'),
        ...rows('', upgrade, 'api'),
        ...rows('timeouts.', shapeOf(schemas_1.timeoutsSchema), 'api'),
        '',
        '### `rolloutKernel` input',
        '',
        ...head,
        at('rolloutId'),
        at('template'),
        ...rows('template.ssh.', shapeOf(schemas_1.sshSettingsSchema), 'api'),
        ...rows('template.', template, 'api'),
        ...rows('template.timeouts.', shapeOf(schemas_1.timeoutsSchema), 'api'),
        at('hosts'),
        ...rows('hosts[].', host, 'api'),
        ...rows('hosts[].ssh.', shapeOf(schemas_1.sshOverridesSchema), 'api'),
        at('strategy'),
        ...rows('strategy.', shapeOf(schemas_1.rolloutStrategySchema), 'api'),
        ...rows('', rest, 'api'),
    ].join('\n');
}
function configTable() {
    const top = { ...schemas_1.upgradeHostInputSchema.shape };
    delete top['target'];
    delete top['timeouts'];
    return [
        '| field | type | default | meaning |',
        '| --- | --- | --- | --- |',
        ...rows('target.', schemas_1.sshTargetSchema.shape),
        ...rows('', top),
        ...rows('timeouts.', schemas_1.timeoutsSchema.shape),
    ].join('\n');
}
if (require.main === module) {
    process.stdout.write(`${process.argv[2] === '--api' ? inputReference() : configTable()}\n`);
}
//# sourceMappingURL=config-table.js.map