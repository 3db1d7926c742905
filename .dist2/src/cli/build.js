"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.BUILD_HELP = void 0;
exports.buildInputFromFlags = buildInputFromFlags;
exports.endOf = endOf;
exports.runBuildCommand = runBuildCommand;
/**
 * `kernelctl build`: a kernel built on a build host through the buildKernel workflow, and
 * `build status|watch|cancel <id>`. Every flag is checked before anything connects.
 */
const promises_1 = require("node:fs/promises");
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const build_1 = require("../client/build");
const build_schemas_1 = require("../shared/build-schemas");
const build_check_1 = require("./build-check");
const prune_1 = require("../activities/build/prune");
const schema_fields_1 = require("../shared/schema-fields");
const schemas_1 = require("../shared/schemas");
const common_1 = require("./common");
exports.BUILD_HELP = `kernelctl build — compile a kernel on a build host, once per source + config + toolchain

Usage:
  kernelctl build --build-host [USER@]HOST[:PORT] --source SOURCE --config BASE [options]
  kernelctl build status <id>      the build's state, or its result
  kernelctl build watch <id>       progress until it ends
  kernelctl build cancel <id>      stop it (the make on the build host is killed)
  kernelctl build prune --build-host HOST [--build-root DIR] [--keep-packages]
                                   free the build root over SSH: each build's directory (its
                                   package too: asking again rebuilds), or with --keep-packages
                                   only its objects (about 3.7 GB for Debian's config) and debug
                                   package (about 100 MB). A build in progress is never touched;
                                   unpacked sources stay

Exit codes: 0 built (build cancel: cancelled), 1 the build failed, 2 bad input (nothing
started), 5 the build was cancelled (status, watch, --wait), 7 Temporal unreachable or lost.

Source (on the build host):
  --source debian:6.1              Debian's linux-source-6.1 package (apt-get install linux-source-6.1)
  --source tarball:/PATH.tar.xz    a kernel tarball
  --source tree:/PATH              an unpacked tree (built out of tree, never written to)

Config:
  --config running:[USER@]HOST[:PORT]        that host's /boot/config-$(uname -r), read over SSH
  --config localmodconfig:[USER@]HOST[:PORT] the same, cut to the modules the host has loaded
  --config file:/PATH                        a .config on the build host
  --config make:TARGET[+FRAGMENT...]         tinyconfig, defconfig or allnoconfig, then the tree's
                                             fragments (kvm_guest.config, xen.config, …)
  --fragment 'CONFIG_X=y'          a config line applied after the base (repeatable)
  --fragment-file FILE             config lines from a local file (one per line, # comments)
  Then make olddefconfig; a fragment line that does not take is refused, naming it.

Before the build starts, kernelctl connects to the build host (and the config's host) and checks
that the source and the config's base are there: a wrong --build-host, --source or --config is
refused at once (exit 2, naming the flag), nothing started.

Options:
  --localversion=-NAME             LOCALVERSION (default -kr<8 hex digits of the build key); the
                                   release must differ from the one the hosts run
  --jobs N                         make -jN (default the build host's nproc)
  --build-root DIR                 where builds live on the build host (default
                                   /var/cache/kernel-rollout/builds); one directory per key
  -i, --identity FILE              SSH key for the build host, and for the config's host (running:,
                                   localmodconfig:) unless --config-identity gives it its own
  --config-identity FILE           SSH key for the config's host
  --agent SOCKET                   ssh-agent socket instead (both hosts)
  --known-hosts FILE               known_hosts for both (host keys are always checked)
  --build-host-key-sha256 SHA256:… pin the build host's key instead of known_hosts
  --config-host-key-sha256 SHA256:… pin the config's host's key
  --trust-on-first-use             record an unknown host key (a changed key is refused; both hosts)
  --rebuild                        build a key whose build failed again (see below)
  --wait                           watch the build and print its result
  --json                           machine-readable output

The result is a linux-image-<release>.deb on the build host, with its sha256, the effective
.config and the build log beside it. Install it with: kernelctl upgrade HOST --build <id>.
A build of the same key again returns the earlier package at once. A key whose build failed
returns that failure again, saying so, without compiling: the same source, config and toolchain
fail the same way. After fixing the cause (on the build host: a missing tool, disk space), add
--rebuild to start make again for it. A key that succeeded is never rebuilt.
`;
const BUILD_OPTIONS = {
    'build-host': { type: 'string' },
    source: { type: 'string' },
    config: { type: 'string' },
    fragment: { type: 'string', multiple: true },
    'fragment-file': { type: 'string' },
    localversion: { type: 'string' },
    jobs: { type: 'string' },
    'build-root': { type: 'string' },
    identity: { type: 'string', short: 'i' },
    'config-identity': { type: 'string' },
    'build-host-key-sha256': { type: 'string' },
    'config-host-key-sha256': { type: 'string' },
    agent: { type: 'string' },
    'known-hosts': { type: 'string' },
    'trust-on-first-use': { type: 'boolean' },
    rebuild: { type: 'boolean' },
    wait: { type: 'boolean' },
};
/**
 * `[user@]host[:port]` plus the SSH flags, as an SSH target (validated by the schema later). `-i`,
 * `--agent`, `--known-hosts` and `--trust-on-first-use` serve both hosts; `--config-identity`
 * gives the config's host its own key, and each host's key pin has its own flag.
 */
function sshTargetOf(flag, spec, v) {
    const identity = (flag === '--config' ? v['config-identity'] : undefined) ?? v['identity'];
    const pin = v[flag === '--config' ? 'config-host-key-sha256' : 'build-host-key-sha256'];
    return {
        ...(0, common_1.parseHostSpec)(flag, spec),
        ...(identity ? { privateKeyPath: path.resolve(identity) } : {}),
        ...(pin ? { hostKeySha256: pin } : {}),
        ...(v['agent'] ? { agentSocket: v['agent'] } : {}),
        ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts']) } : {}),
        ...(v['trust-on-first-use'] ? { trustOnFirstUse: true } : {}),
    };
}
function sourceOf(spec) {
    const [kind, rest = ''] = spec.split(/:(.*)/s);
    if (kind === 'debian')
        return { kind: 'debian-source', version: rest };
    if (kind === 'tarball' || kind === 'tree')
        return { kind, path: rest };
    throw new schemas_1.InvalidInputError(`--source: ${JSON.stringify(spec)} must be debian:VERSION, tarball:PATH or tree:PATH`);
}
function configOf(spec, v) {
    const [kind, rest = ''] = spec.split(/:(.*)/s);
    if (kind === 'running' || kind === 'localmodconfig')
        return { kind, target: sshTargetOf('--config', rest, v) };
    if (v['config-identity'] !== undefined || v['config-host-key-sha256'] !== undefined)
        throw new schemas_1.InvalidInputError(`--config-identity, --config-host-key-sha256: only with --config running:HOST or localmodconfig:HOST`);
    if (kind === 'file')
        return { kind, path: rest };
    if (kind === 'make') {
        const [target, ...treeFragments] = rest.split('+');
        return { kind, target, treeFragments };
    }
    throw new schemas_1.InvalidInputError(`--config: ${JSON.stringify(spec)} must be running:HOST, localmodconfig:HOST, file:PATH or make:TARGET`);
}
async function fragmentsOf(v) {
    const lines = [...(v['fragment'] ?? [])];
    const file = v['fragment-file'];
    if (file !== undefined) {
        let text;
        try {
            text = await (0, promises_1.readFile)(file, 'utf8');
        }
        catch (err) {
            throw new schemas_1.InvalidInputError(`--fragment-file: cannot read ${file}: ${err.message}`);
        }
        for (const raw of text.split('\n')) {
            const line = raw.trim();
            if (line === '' || (line.startsWith('#') && !/^# CONFIG_\S+ is not set$/.test(line)))
                continue;
            lines.push(line);
        }
    }
    return lines;
}
/** The build spec from the flags, validated (exit 2 naming the field; nothing connects). */
async function buildInputFromFlags(v) {
    for (const f of ['build-host', 'source', 'config']) {
        if (v[f] === undefined)
            throw new schemas_1.InvalidInputError(`--${f}: required (see kernelctl build --help)`);
    }
    const input = {
        buildHost: sshTargetOf('--build-host', v['build-host'], v),
        source: sourceOf(v['source']),
        config: configOf(v['config'], v),
        fragments: await fragmentsOf(v),
        ...(v['localversion'] !== undefined ? { localVersion: v['localversion'] } : {}),
        ...(v['jobs'] !== undefined ? { jobs: (0, common_1.int)('--jobs', v['jobs']) } : {}),
        ...(v['build-root'] !== undefined ? { buildRoot: v['build-root'] } : {}),
        ...(v['rebuild'] ? { rebuild: true } : {}),
    };
    return (0, schemas_1.parseOrThrow)(build_schemas_1.buildKernelInputSchema, input);
}
async function watchBuild(c, id, json) {
    let last = '';
    for (;;) {
        const s = await (0, build_1.buildState)(c.client, id);
        if (s.status !== 'RUNNING')
            break;
        const line = s.progress ? (0, build_1.formatProgress)(s.progress) : 'preparing the source and config';
        if (line !== last) {
            process.stdout.write(json ? `${JSON.stringify(s)}\n` : `${new Date().toISOString().slice(11, 19)}  ${line}\n`);
            last = line;
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
    return finish(c, id, json);
}
/** How a build that did not succeed ended: cancelled, or failed with why. */
function endOf(err) {
    const cause = err.cause;
    if (cause instanceof client_1.CancelledFailure)
        return { outcome: 'cancelled', reason: 'cancelled' };
    return { outcome: 'failed', reason: cause?.cause?.message ?? cause?.message ?? err.message };
}
/**
 * Prints how the build ended. A cancelled build exits 5 (aborted), except for `build cancel`,
 * which asked for it (0); a failed one 1.
 */
async function finish(c, id, json, cancelledIsOk = false) {
    let r;
    try {
        r = await (0, build_1.buildResult)(c.client, id);
    }
    catch (err) {
        if (!(err instanceof client_1.WorkflowFailedError))
            throw err;
        const end = endOf(err);
        if (end.outcome === 'cancelled') {
            (0, common_1.out)(json, { id, outcome: 'cancelled' }, `build ${id}: cancelled (its make on the build host was stopped)`);
            return cancelledIsOk ? common_1.EXIT.ok : common_1.EXIT.aborted;
        }
        (0, common_1.out)(json, { id, outcome: 'failed', reason: end.reason }, `build ${id}: failed — ${end.reason}`);
        return common_1.EXIT.error;
    }
    (0, common_1.out)(json, { id, ...r }, `build ${id}: ${(0, build_1.formatResult)(r)}`);
    return common_1.EXIT.ok;
}
const PRUNE_OPTIONS = {
    'build-host': { type: 'string' },
    'build-root': { type: 'string' },
    'keep-packages': { type: 'boolean' },
    identity: { type: 'string', short: 'i' },
    agent: { type: 'string' },
    'known-hosts': { type: 'string' },
    'build-host-key-sha256': { type: 'string' },
};
/** `kernelctl build prune`: over SSH to the build host, no workflow (nothing to retry or record). */
async function pruneCommand(v, json) {
    if (v['build-host'] === undefined)
        throw new schemas_1.InvalidInputError('--build-host: required (see kernelctl build --help)');
    const target = (0, schemas_1.parseOrThrow)(schema_fields_1.sshTargetSchema, sshTargetOf('--build-host', v['build-host'], v), '--build-host');
    const root = (0, schemas_1.parseOrThrow)(build_schemas_1.buildRootSchema, v['build-root'] ?? build_schemas_1.DEFAULT_BUILD_ROOT, '--build-root');
    const keep = v['keep-packages'] === true;
    const b = await (0, build_check_1.open)('--build-host', target);
    let entries;
    try {
        entries = await (0, prune_1.pruneBuilds)(b, root, keep);
    }
    finally {
        b.close();
    }
    const freed = entries.reduce((n, e) => n + e.freedBytes, 0);
    const mib = (n) => `${Math.round(n / 1048576)} MiB`;
    const lines = [
        ...entries.map((e) => e.action === 'busy'
            ? `${e.key}: building now, left alone`
            : `${e.key}: ${e.action === 'removed' ? 'removed' : 'objects and debug package removed, package kept'} (${mib(e.freedBytes)})`),
        `${target.host}:${root}: ${mib(freed)} freed from ${entries.filter((e) => e.action !== 'busy').length} build(s)`,
    ];
    (0, common_1.out)(json, { buildHost: target.host, buildRoot: root, keepPackages: keep, freedBytes: freed, builds: entries }, lines.join('\n'));
    return common_1.EXIT.ok;
}
async function runBuildCommand(argv) {
    const SUBCOMMANDS = ['status', 'watch', 'cancel', 'prune'];
    const sub = argv[0] !== undefined && SUBCOMMANDS.includes(argv[0]) ? argv[0] : 'start';
    const options = sub === 'start' ? BUILD_OPTIONS : sub === 'prune' ? PRUNE_OPTIONS : {};
    const { values, positionals } = (0, common_1.parse)(sub === 'start' ? argv : argv.slice(1), options);
    const v = values;
    if (v['help']) {
        process.stdout.write(exports.BUILD_HELP);
        return common_1.EXIT.ok;
    }
    const json = v['json'] === true;
    if (sub === 'prune') {
        if (positionals.length > 0)
            throw new common_1.UsageError(`build prune: unexpected ${JSON.stringify(positionals[0])}`);
        return pruneCommand(v, json);
    }
    const clientOpts = (0, common_1.clientOptionsFromFlags)(v);
    if (sub === 'start') {
        if (positionals.length > 0)
            throw new common_1.UsageError(`build: unexpected ${JSON.stringify(positionals[0])}`);
        const input = (await buildInputFromFlags(v));
        await (0, build_check_1.checkBuildHosts)(input);
        return (0, common_1.withClient)(clientOpts, async (c) => {
            const { id } = await (0, build_1.startBuild)(c.client, clientOpts.taskQueue, input);
            process.stderr.write(`build ${id} (${(0, build_1.buildWorkflowId)(id)}; kernelctl build watch ${id})\n`);
            if (!v['wait']) {
                (0, common_1.out)(json, { id, workflowId: (0, build_1.buildWorkflowId)(id) }, id);
                return common_1.EXIT.ok;
            }
            return watchBuild(c, id, json);
        });
    }
    const id = positionals[0];
    if (positionals.length !== 1 || id === undefined)
        throw new common_1.UsageError(`build ${sub}: give exactly one <id>`);
    if (!build_1.BUILD_ID_RE.test(id))
        throw new schemas_1.InvalidInputError(`<id>: ${JSON.stringify(id)} must be a build id (16 hex digits)`);
    return (0, common_1.withClient)(clientOpts, async (c) => {
        if (sub === 'watch')
            return watchBuild(c, id, json);
        if (sub === 'cancel') {
            await c.client.workflow.getHandle((0, build_1.buildWorkflowId)(id)).cancel();
            return finish(c, id, json, true);
        }
        const s = await (0, build_1.buildState)(c.client, id);
        if (s.status !== 'RUNNING')
            return finish(c, id, json);
        (0, common_1.out)(json, s, `build ${id}: ${s.progress ? (0, build_1.formatProgress)(s.progress) : 'preparing the source and config'}`);
        return common_1.EXIT.ok;
    });
}
//# sourceMappingURL=build.js.map