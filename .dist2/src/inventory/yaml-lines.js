"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseYamlSource = parseYamlSource;
exports.yamlToJs = yamlToJs;
exports.lineOfOffset = lineOfOffset;
exports.lineOfPath = lineOfPath;
exports.dotted = dotted;
/**
 * Line numbers for YAML inventories: parse with a LineCounter and find the node behind a path
 * (a zod issue's path, or a key we are reading), so every message can say `file:line`.
 */
const yaml_1 = require("yaml");
/**
 * Parses YAML; syntax errors (and duplicate keys) are reported as `file:line: message`.
 * `version: '1.1'` reads YAML as Ansible's PyYAML does: merge keys (`<<: *conn`), `0x1F`, `010`
 * (octal), `2_222`, `yes`/`no`/`on`/`off` booleans.
 */
function parseYamlSource(file, text, problems, opts = {}) {
    const lines = new yaml_1.LineCounter();
    // PyYAML (Ansible) reads every document as YAML 1.1, whatever its %YAML directive says: a
    // `%YAML 1.2` line keeps merge keys and yes/no booleans there. The directive is rewritten in
    // place (same length, so positions and lines stay).
    if (opts.version === '1.1')
        text = text.replace(/^%YAML[ \t]+1\.\d+/gm, (d) => '%YAML 1.1'.padEnd(d.length));
    // yaml's own unique-key check compares every key with every other (quadratic: seconds for a
    // 10,000-host map), so duplicates are found here with a set per map.
    let doc;
    try {
        doc = (0, yaml_1.parseDocument)(text, {
            lineCounter: lines,
            prettyErrors: false,
            uniqueKeys: false,
            version: opts.version ?? '1.2',
        });
    }
    catch (e) {
        if (!(e instanceof RangeError))
            throw e;
        problems.add({ file, line: 1, field: '' }, 'YAML nested too deeply to read');
        problems.throwIfAny();
        throw e;
    }
    for (const e of doc.errors) {
        const line = lines.linePos(e.pos[0]).line;
        problems.add({ file, line, field: '' }, `YAML syntax error: ${e.message.split('\n')[0]}`);
    }
    const src = { file, doc, lines };
    if (doc.errors.length === 0) {
        try {
            findDuplicateKeys(src, doc.contents, [], problems);
        }
        catch (e) {
            if (!(e instanceof RangeError))
                throw e;
            problems.add({ file, line: 1, field: '' }, 'YAML nested too deeply to read');
        }
    }
    return src;
}
/**
 * Aliases may expand to this many nodes in all: an anchor used a few hundred (or thousand) times
 * is fine, an alias bomb (aliases of aliases, exponential) is refused.
 */
const MAX_ALIAS_EXPANSION = 100_000;
/** The document as plain data, or a problem at the first alias when it expands too far. */
function yamlToJs(src, problems) {
    try {
        return src.doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    }
    catch (e) {
        if (e instanceof RangeError) {
            problems.add({ file: src.file, line: 1, field: '' }, 'YAML nested too deeply to read');
        }
        else if (e instanceof ReferenceError && /alias/i.test(e.message)) {
            let line = 1;
            (0, yaml_1.visit)(src.doc, {
                Alias(_, node) {
                    if (node.range)
                        line = lineOfOffset(src, node.range[0]);
                    return yaml_1.visit.BREAK;
                },
            });
            problems.add({ file: src.file, line, field: '' }, `YAML aliases here expand to more than ${MAX_ALIAS_EXPANSION} nodes (an alias bomb?); write the values out or use fewer nested aliases`);
        }
        else {
            throw e;
        }
        problems.throwIfAny();
        throw e;
    }
}
function findDuplicateKeys(src, node, path, problems) {
    if ((0, yaml_1.isMap)(node)) {
        const seen = new Set();
        for (const pair of node.items) {
            const key = (0, yaml_1.isScalar)(pair.key) ? String(pair.key.value) : undefined;
            if (key !== undefined) {
                if (seen.has(key)) {
                    const at = pair.key.range?.[0] ?? 0;
                    problems.add({ file: src.file, line: lineOfOffset(src, at), field: dotted([...path, key]) }, 'duplicate key (YAML keeps only one of them)');
                }
                seen.add(key);
            }
            findDuplicateKeys(src, pair.value, [...path, key ?? '?'], problems);
        }
    }
    else if ((0, yaml_1.isSeq)(node)) {
        node.items.forEach((item, i) => findDuplicateKeys(src, item, [...path, String(i)], problems));
    }
}
function lineOfOffset(src, offset) {
    return src.lines.linePos(offset).line;
}
/**
 * The line of the deepest node along `path`. For a map entry the value's line is used, or the
 * key's when the value is empty; when `atKey` is set, the key's line (for "unknown key").
 */
function lineOfPath(src, path, atKey = false) {
    let node = src.doc.contents;
    let line = node && node.range ? lineOfOffset(src, node.range[0]) : 1;
    for (let i = 0; i < path.length; i++) {
        const step = path[i];
        const last = i === path.length - 1;
        if ((0, yaml_1.isMap)(node)) {
            const pair = pairIndex(node).get(String(step));
            if (!pair)
                return line;
            const key = pair.key;
            if (key.range)
                line = lineOfOffset(src, key.range[0]);
            if (last && atKey)
                return line;
            const value = pair.value;
            const empty = !value || ((0, yaml_1.isScalar)(value) && value.value === null && value.source === '');
            if (empty)
                return line;
            node = value;
        }
        else if ((0, yaml_1.isSeq)(node) && typeof step === 'number') {
            const item = node.items[step];
            if (!item)
                return line;
            node = item;
        }
        else {
            return line;
        }
        const r = node.range;
        if (r)
            line = lineOfOffset(src, r[0]);
    }
    return line;
}
const pairIndexes = new WeakMap();
/** Map key → pair, built once per map: a 10,000-host inventory asks for thousands of lines. */
function pairIndex(map) {
    let index = pairIndexes.get(map);
    if (!index) {
        index = new Map();
        for (const p of map.items) {
            if ((0, yaml_1.isPair)(p) && (0, yaml_1.isScalar)(p.key) && !index.has(String(p.key.value)))
                index.set(String(p.key.value), p);
        }
        pairIndexes.set(map, index);
    }
    return index;
}
function dotted(path) {
    return path.map(String).join('.');
}
//# sourceMappingURL=yaml-lines.js.map