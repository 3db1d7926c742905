"use strict";
/**
 * One searchable text of a workflow history, with every Payload in it decoded.
 *
 * `JSON.stringify` of a history (the proto objects `fetchHistory()` returns, or the JSON the
 * `temporal` CLI and test/fixtures/histories hold) leaves each Payload's `data` in base64: a
 * search for a secret over it cannot see inputs, results, signal and update arguments, memo,
 * search attributes, headers, heartbeat details or failure details. This walks the whole history
 * and replaces every object shaped like a Payload (`metadata.encoding` plus optional `data`),
 * wherever it sits, by its decoded text; a JSON payload is also parsed and walked in turn, so its
 * strings appear unescaped and a Payload nested inside it is decoded too.
 *
 * Every other field is kept as `path: value`, so the identities, failure messages and the like
 * stay searchable as well.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.historyText = historyText;
exports.needlesIn = needlesIn;
/** Bytes as the history holds them: a Uint8Array (proto objects), base64 (JSON), a Buffer's JSON. */
function bytesOf(value) {
    if (value instanceof Uint8Array)
        return Buffer.from(value);
    if (typeof value === 'string')
        return Buffer.from(value, 'base64');
    if (typeof value === 'object' &&
        value !== null &&
        value.type === 'Buffer' &&
        Array.isArray(value.data)) {
        return Buffer.from(value.data);
    }
    return undefined;
}
const PAYLOAD_KEYS = new Set(['metadata', 'data', 'externalPayloads']);
function isPayload(value) {
    const metadata = value.metadata;
    return (typeof metadata === 'object' &&
        metadata !== null &&
        'encoding' in metadata &&
        Object.keys(value).every((k) => PAYLOAD_KEYS.has(k)));
}
function walk(value, path, out, seen) {
    if (value === null || value === undefined)
        return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        out.push(`${path}: ${String(value)}`);
        return;
    }
    if (typeof value === 'bigint') {
        out.push(`${path}: ${value.toString()}`);
        return;
    }
    if (typeof value !== 'object')
        return;
    if (value instanceof Uint8Array) {
        // A bytes field that is not a Payload's: searchable as text and as the base64 JSON shows.
        out.push(`${path}: ${Buffer.from(value).toString('utf8')}`, `${path}: ${Buffer.from(value).toString('base64')}`);
        return;
    }
    if (seen.has(value))
        return;
    seen.add(value);
    if (isPayload(value)) {
        decodePayload(value, path, out, seen);
        return;
    }
    const toJSON = value.toJSON;
    if (typeof toJSON === 'function' && !Array.isArray(value)) {
        // A protobufjs message (or a Long, a Date): walk what JSON.stringify would have seen, except
        // that its payloads are decoded. Messages nested in it are converted by the same call.
        const json = toJSON.call(value);
        if (json !== value) {
            walk(json, path, out, seen);
            return;
        }
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, `${path}[${i}]`, out, seen));
        return;
    }
    for (const [k, v] of Object.entries(value))
        walk(v, path ? `${path}.${k}` : k, out, seen);
}
function decodePayload(payload, path, out, seen) {
    const meta = {};
    for (const [k, v] of Object.entries(payload.metadata))
        meta[k] = bytesOf(v)?.toString('utf8') ?? String(v);
    const encoding = meta['encoding'] ?? '';
    for (const [k, v] of Object.entries(meta))
        out.push(`${path}.metadata.${k}: ${v}`);
    if (encoding === 'binary/null') {
        out.push(`${path} [${encoding}]: null`);
        return;
    }
    const data = payload.data === undefined ? Buffer.alloc(0) : bytesOf(payload.data);
    if (!data) {
        walk(payload.data, `${path}.data`, out, seen);
        return;
    }
    // json/plain, json/protobuf, binary/plain and any other: the bytes as UTF-8 text (the strings a
    // binary/protobuf payload holds are UTF-8 in it too; an encrypted payload stays unreadable).
    const text = data.toString('utf8');
    out.push(`${path} [${encoding}]: ${text}`);
    if (encoding.startsWith('json/')) {
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            return;
        }
        walk(parsed, `${path}{json}`, out, seen);
    }
}
/** The history as one text: every field as `path: value`, every Payload decoded. */
function historyText(history) {
    const out = [];
    walk(history, '', out, new Set());
    return out.join('\n');
}
/** The needles that occur in `text`, in the order given. */
function needlesIn(text, needles) {
    return needles.filter((n) => n.length > 0 && text.includes(n));
}
//# sourceMappingURL=history-text.js.map