"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NotADebError = void 0;
exports.describeContent = describeContent;
exports.inspectDeb = inspectDeb;
exports.debKernelProblem = debKernelProblem;
/**
 * What a .deb holds, read on the operator's side before anything starts (no dpkg needed): a
 * Debian binary package is an ar archive of `debian-binary`, `control.tar[.gz|.xz|.zst]` and
 * `data.tar[.gz|.xz|.zst]`. The control file gives Package, Version and Architecture; the data
 * archive's listing says which files it installs. gzip is read with node's zlib; xz and zstd
 * through the system `xz`/`zstd` with execFile (no shell), the data archive streamed so a 70 MiB
 * kernel package is never held decompressed. Tar headers are parsed here (ustar, GNU long names,
 * pax paths).
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_util_1 = require("node:util");
const node_zlib_1 = require("node:zlib");
const execFileAsync = (0, node_util_1.promisify)(node_child_process_1.execFile);
/** A file that is not a readable Debian binary package; the message says what it holds. */
class NotADebError extends Error {
    name = 'NotADebError';
}
exports.NotADebError = NotADebError;
function arMembers(buf) {
    if (buf.subarray(0, 8).toString('latin1') !== '!<arch>\n')
        throw new NotADebError(describeContent(buf));
    const out = [];
    let at = 8;
    while (at + 60 <= buf.length) {
        const header = buf.subarray(at, at + 60).toString('latin1');
        if (header.slice(58, 60) !== '`\n')
            throw new NotADebError('a damaged ar archive (bad member header)');
        const name = header.slice(0, 16).trim().replace(/\/$/, '');
        const size = Number(header.slice(48, 58).trim());
        if (!Number.isSafeInteger(size) || at + 60 + size > buf.length)
            throw new NotADebError('a truncated ar archive');
        out.push({ name, data: buf.subarray(at + 60, at + 60 + size) });
        at += 60 + size + (size % 2);
    }
    return out;
}
/** A few words on what a file that is not a .deb seems to hold. */
function describeContent(buf) {
    if (buf.length === 0)
        return 'an empty file';
    const magic = [
        [[0x1f, 0x8b], 'gzip-compressed data'],
        [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
        [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
        [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
        [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
        [[0xed, 0xab, 0xee, 0xdb], 'an RPM package'],
        [[0x42, 0x5a, 0x68], 'bzip2-compressed data'],
    ];
    for (const [bytes, what] of magic)
        if (bytes.every((b, i) => buf[i] === b))
            return what;
    if (buf.length > 262 && buf.subarray(257, 262).toString('latin1') === 'ustar')
        return 'a tar archive';
    if (buf.subarray(0, 4).toString('latin1') === 'MZ\x90\x00' || buf.subarray(0, 2).toString('latin1') === 'MZ')
        return 'a PE/EFI executable (a bare kernel image?)';
    const head = buf.subarray(0, 512);
    if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))
        return 'text';
    return 'data of an unknown kind';
}
async function decompress(name, data) {
    if (name.endsWith('.gz'))
        return (0, node_zlib_1.gunzipSync)(data);
    if (name.endsWith('.xz') || name.endsWith('.zst')) {
        const tool = name.endsWith('.xz') ? 'xz' : 'zstd';
        const child = execFileAsync(tool, ['-dc'], { encoding: 'buffer', maxBuffer: 64 << 20 });
        child.child.stdin?.end(data);
        return (await child).stdout;
    }
    if (name.endsWith('.tar'))
        return data;
    throw new NotADebError(`a Debian package with an unsupported member ${JSON.stringify(name)}`);
}
/** Streams `data` through the decompressor and calls `onEntry` for each tar entry's path. */
async function listTar(name, data, onEntry) {
    const scanner = new TarScanner(onEntry);
    if (name.endsWith('.xz') || name.endsWith('.zst')) {
        const tool = name.endsWith('.xz') ? 'xz' : 'zstd';
        await new Promise((resolve, reject) => {
            const child = (0, node_child_process_1.spawn)(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
            let stderr = '';
            child.stdout.on('data', (chunk) => scanner.push(chunk));
            child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
            child.on('error', reject);
            child.on('close', (code) => code === 0 ? resolve() : reject(new NotADebError(`a damaged ${name} (${tool}: ${stderr.trim()})`)));
            child.stdin.on('error', () => undefined);
            child.stdin.end(data);
        });
        return;
    }
    scanner.push(await decompress(name, data));
}
class TarScanner {
    onEntry;
    pending = Buffer.alloc(0);
    skip = 0;
    longName;
    collect;
    done = false;
    constructor(onEntry) {
        this.onEntry = onEntry;
    }
    push(chunk) {
        this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
        while (!this.done) {
            if (this.skip > 0) {
                const n = Math.min(this.skip, this.pending.length);
                if (this.collect)
                    this.collect.parts.push(this.pending.subarray(0, n));
                this.pending = this.pending.subarray(n);
                this.skip -= n;
                if (this.skip > 0)
                    return;
                if (this.collect)
                    this.finishCollect();
                continue;
            }
            if (this.pending.length < 512)
                return;
            const h = this.pending.subarray(0, 512);
            this.pending = this.pending.subarray(512);
            if (h.every((b) => b === 0)) {
                this.done = true;
                return;
            }
            const field = (start, len) => h
                .subarray(start, start + len)
                .toString('utf8')
                .replace(/\0.*$/s, '');
            const size = parseInt(field(124, 12).trim() || '0', 8);
            const type = field(156, 1);
            const padded = Math.ceil(size / 512) * 512;
            if (type === 'L' || type === 'x') {
                this.collect = { kind: type, size, parts: [] };
                this.skip = padded;
                if (padded === 0)
                    this.finishCollect();
                continue;
            }
            const prefix = field(157 + 188, 155);
            const path = this.longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
            this.longName = undefined;
            if (type !== 'g')
                this.onEntry(path);
            this.skip = padded;
        }
    }
    finishCollect() {
        const c = this.collect;
        this.collect = undefined;
        const text = Buffer.concat(c.parts).subarray(0, c.size).toString('utf8');
        if (c.kind === 'L')
            this.longName = text.replace(/\0.*$/s, '');
        else {
            const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
            if (m)
                this.longName = m[1];
        }
    }
}
function controlField(control, key) {
    const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'mi').exec(control);
    return m?.[1]?.trim();
}
/** Reads a .deb's control data and file list; throws NotADebError saying what the file holds. */
async function inspectDeb(file) {
    const buf = await node_fs_1.promises.readFile(file);
    const members = arMembers(buf);
    if (members[0]?.name !== 'debian-binary' || !members[0].data.toString('latin1').startsWith('2.'))
        throw new NotADebError('an ar archive that is not a Debian binary package (no debian-binary 2.x first)');
    const control = members.find((m) => /^control\.tar(\.(gz|xz|zst))?$/.test(m.name));
    const data = members.find((m) => /^data\.tar(\.(gz|xz|zst|bz2))?$/.test(m.name));
    if (!control || !data)
        throw new NotADebError('a Debian package without control.tar or data.tar');
    let controlText;
    const controlTar = await decompress(control.name, control.data).catch((e) => {
        throw e instanceof NotADebError ? e : new NotADebError(`a damaged ${control.name} (${String(e)})`);
    });
    // The control archive is small: find ./control by walking its headers.
    let at = 0;
    while (at + 512 <= controlTar.length && controlTar[at] !== 0) {
        const name = controlTar
            .subarray(at, at + 100)
            .toString('utf8')
            .replace(/\0.*$/s, '');
        const size = parseInt(controlTar
            .subarray(at + 124, at + 136)
            .toString('latin1')
            .replace(/\0.*$/s, '')
            .trim() || '0', 8);
        if (name === './control' || name === 'control') {
            controlText = controlTar.subarray(at + 512, at + 512 + size).toString('utf8');
            break;
        }
        at += 512 + Math.ceil(size / 512) * 512;
    }
    if (controlText === undefined)
        throw new NotADebError('a Debian package without a control file');
    const files = [];
    await listTar(data.name, data.data, (p) => files.push(p.replace(/^\.\//, '/').replace(/^(?!\/)/, '/')));
    return {
        package: controlField(controlText, 'Package') ?? '(no Package field)',
        version: controlField(controlText, 'Version') ?? '(no Version field)',
        architecture: controlField(controlText, 'Architecture') ?? '(no Architecture field)',
        files,
    };
}
/**
 * Why `file` cannot install kernel `release` (the problem for `--deb`), or undefined when it
 * holds `/boot/vmlinuz-<release>`.
 */
async function debKernelProblem(file, release) {
    let info;
    try {
        info = await inspectDeb(file);
    }
    catch (e) {
        if (e instanceof NotADebError)
            return `${file} is not a Debian binary package: it holds ${e.message}`;
        throw e;
    }
    const kernel = `/boot/vmlinuz-${release}`;
    if (info.files.includes(kernel))
        return undefined;
    const kernels = info.files.filter((f) => f.startsWith('/boot/vmlinuz-'));
    return (`${file} holds ${info.package} ${info.version} (${info.architecture}), which does not install ${kernel} ` +
        `that --to ${release} names` +
        (kernels.length > 0 ? ` (it installs ${kernels.join(', ')})` : ' (it installs no kernel image)'));
}
//# sourceMappingURL=deb-archive.js.map