"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fragmentsNotTaken = fragmentsNotTaken;
exports.buildKey = buildKey;
exports.prepareBuild = prepareBuild;
/**
 * prepareBuild: everything before the compile, on the build host. Checks its tools (./tools.ts:
 * those of every build first, those the effective config asks for once it is known), prepares the
 * source, writes the base config, applies the fragments, runs `make olddefconfig`, checks that
 * every fragment took, and names the build by its key: the source's identity, the effective
 * .config and the toolchain (and the LOCALVERSION when the operator chose one). A key built
 * before is answered from its result; a new key gets its directory, with the effective config and
 * the build script, ready for runBuild.
 */
const node_crypto_1 = require("node:crypto");
const shell_1 = require("../../shared/shell");
const build_schemas_1 = require("../../shared/build-schemas");
const schemas_1 = require("../../shared/schemas");
const architecture_1 = require("./architecture");
const config_base_1 = require("./config/config-base");
const errors_1 = require("./errors");
const result_1 = require("./result");
const run_1 = require("./run");
const script_1 = require("./script");
const tools_1 = require("./tools");
const source_1 = require("./source/source");
/** The build root, made writable for the SSH user (with sudo when it is not root). */
async function ensureRoot(b, root) {
    const r = (0, shell_1.shellQuote)(root);
    const ok = await b.exec(`mkdir -p ${r} 2>/dev/null && [ -w ${r} ]`);
    if (ok.code === 0)
        return;
    await b.run(`mkdir -p ${r} && chown "$SUDO_UID:$SUDO_GID" ${r}`, { sudo: true });
}
/**
 * Settings a config from a Debian kernel brings that a build elsewhere cannot honour: Debian's
 * signing certificates are not in the source package. Applied before the fragments, which may
 * set them again.
 */
const PORTABILITY = `--set-str SYSTEM_TRUSTED_KEYS '' --set-str SYSTEM_REVOCATION_KEYS '' --disable LOCALVERSION_AUTO`;
/** Applies the fragments, runs olddefconfig, checks every fragment took; the effective config. */
async function applyFragments(b, make, tree, obj, fragments) {
    const cfg = (0, shell_1.shellQuote)(`${obj}/.config`);
    await b.run(`${(0, shell_1.shellQuote)(`${tree}/scripts/config`)} --file ${cfg} ${PORTABILITY}`);
    if (fragments.length > 0) {
        // Written through stdin (never a command line) and merged by kbuild's own script.
        const frag = `${obj}/kernel-rollout.fragment`;
        await b.run(`cat > ${(0, shell_1.shellQuote)(frag)}`, { stdin: `${fragments.join('\n')}\n` });
        const m = await b.exec(`cd ${(0, shell_1.shellQuote)(obj)} && ${(0, shell_1.shellQuote)(`${tree}/scripts/kconfig/merge_config.sh`)} -m -O . .config kernel-rollout.fragment`, { timeoutMs: 5 * 60_000 });
        if (m.code !== 0)
            throw new errors_1.BuildConfigError(`merging the fragments failed: ${(m.stderr || m.stdout).trim().slice(-800)}`);
    }
    const o = await b.exec(`${make} olddefconfig`, { timeoutMs: 10 * 60_000 });
    if (o.code !== 0)
        throw new errors_1.BuildConfigError(`make olddefconfig failed: ${(o.stderr || o.stdout).trim().slice(-800)}`);
    const effective = await b.run(`grep -E '^(CONFIG_|# CONFIG_.* is not set)' ${cfg}`, { timeoutMs: 60_000 });
    const lost = fragmentsNotTaken(fragments, effective);
    if (lost.length > 0) {
        throw new errors_1.BuildConfigError(`these fragment lines did not take (their dependencies are off, or the option does not exist in this tree): ${lost.join('; ')}`);
    }
    return effective;
}
/** Fragment lines the effective config does not have. `=n` and "is not set" both mean off. */
function fragmentsNotTaken(fragments, effective) {
    const values = new Map();
    for (const line of effective.split('\n')) {
        const on = /^(CONFIG_[A-Z0-9_]+)=(.*)$/.exec(line);
        if (on)
            values.set(on[1], on[2]);
    }
    return fragments.filter((f) => {
        const off = /^# (CONFIG_[A-Z0-9_]+) is not set$/.exec(f) ?? /^(CONFIG_[A-Z0-9_]+)=n$/.exec(f);
        if (off)
            return values.has(off[1]);
        const [name, value] = f.split(/=(.*)/s);
        return values.get(name) !== value;
    });
}
function buildKey(parts) {
    return (0, node_crypto_1.createHash)('sha256')
        .update(JSON.stringify({ v: 1, ...parts, localVersion: parts.localVersion ?? null }))
        .digest('hex')
        .slice(0, 16);
}
async function prepareBuild(withHost, input) {
    const spec = (0, schemas_1.parseOrThrow)(build_schemas_1.buildKernelInputSchema, input);
    return withHost(spec.buildHost, async (b) => {
        await (0, tools_1.checkRequirements)(b, tools_1.BASE_REQUIREMENTS);
        await ensureRoot(b, spec.buildRoot);
        const source = await (0, source_1.kernelSourceFor)(spec.source).prepare(b, spec.source, spec.buildRoot);
        const tmp = (await b.run(`mktemp -d ${(0, shell_1.shellQuote)(`${spec.buildRoot}/.config-`)}XXXXXX`)).trim();
        try {
            const make = `make --no-print-directory -C ${(0, shell_1.shellQuote)(source.tree)} O=${(0, shell_1.shellQuote)(tmp)}`;
            const base = await (0, config_base_1.configBaseFor)(spec.config).write({ build: b, withHost, make, obj: tmp }, spec.config);
            const effective = await applyFragments(b, make, source.tree, tmp, spec.fragments);
            // What this config asks for beyond the basics (pahole for CONFIG_DEBUG_INFO_BTF, …), now
            // rather than at the final link half an hour in.
            await (0, tools_1.checkRequirements)(b, (0, tools_1.configRequirements)(effective));
            // The package is for the build host's architecture (and so for the hosts it builds for).
            const hostArch = (await b.run('dpkg --print-architecture')).trim();
            const wrongArch = (0, architecture_1.architectureProblem)(effective, hostArch);
            if (wrongArch)
                throw new errors_1.BuildConfigError(wrongArch);
            const configSha256 = (await b.run(`sha256sum < ${(0, shell_1.shellQuote)(`${tmp}/.config`)}`)).slice(0, 64);
            const toolchain = (await b.run('gcc --version | head -n 1; ld --version | head -n 1; make --version | head -n 1'))
                .trim()
                .replace(/\n/g, '; ');
            const key = buildKey({ source: source.identity, configSha256, toolchain, localVersion: spec.localVersion });
            const localVersion = spec.localVersion ?? `-kr${key.slice(0, 8)}`;
            const release = (await b.run(`${make} -s LOCALVERSION=${(0, shell_1.shellQuote)(localVersion)} kernelrelease`))
                .trim()
                .split('\n')
                .pop();
            if (!shell_1.KERNEL_RELEASE_RE.test(release))
                throw new errors_1.BuildConfigError(`make kernelrelease printed ${JSON.stringify(release)}`);
            const running = [(await b.run('uname -r')).trim(), ...base.runningReleases];
            if (running.includes(release)) {
                throw new errors_1.BuildConfigError(`localVersion: the release would be ${release}, which a host runs now (${running.join(', ')}); choose another LOCALVERSION`);
            }
            const nproc = Number((await b.run('nproc')).trim()) || 1;
            const jobs = spec.jobs ?? nproc;
            const dir = `${spec.buildRoot}/${key}`;
            const d = (0, shell_1.shellQuote)(dir);
            // A new key gets its directory in one rename: a crash before it leaves only the temporary one.
            const t = { tmp: (0, shell_1.shellQuote)(tmp), dir: (0, shell_1.shellQuote)(`${tmp}.dir`) };
            await b.run(`if [ ! -d ${d} ]; then mkdir ${t.dir} && cp ${t.tmp}/.config ${t.dir}/config && ` +
                `mv ${t.tmp} ${t.dir}/obj && mv -T ${t.dir} ${d}; fi`);
            // Replaced by a rename: a running build's shell keeps reading the file it started with.
            await b.run(`cat > ${(0, shell_1.shellQuote)(`${dir}/build.sh.new`)} && mv -f ${(0, shell_1.shellQuote)(`${dir}/build.sh.new`)} ${(0, shell_1.shellQuote)(`${dir}/build.sh`)}`, {
                stdin: (0, script_1.buildScript)({ dir, tree: source.tree, jobs, localVersion, release }),
            });
            const plan = {
                key,
                release,
                localVersion,
                buildRoot: spec.buildRoot,
                buildDir: dir,
                configSha256,
                configFrom: base.from,
                source: `${(0, source_1.describeBuildSource)(spec.source)} (${source.identity})`,
                toolchain,
                jobs,
            };
            await b.run(`cat > ${(0, shell_1.shellQuote)(`${dir}/plan.json`)}`, {
                stdin: `${JSON.stringify({ ...plan, config: (0, config_base_1.describeConfigBase)(spec.config), fragments: spec.fragments }, null, 2)}\n`,
            });
            const cached = await (0, result_1.readResult)(b, dir, key, release);
            if (cached)
                return { ...plan, cached };
            await (0, run_1.settleEarlierFailure)(b, spec.buildHost.host, dir, spec.rebuild === true);
            return plan;
        }
        finally {
            await b.exec(`rm -rf ${(0, shell_1.shellQuote)(tmp)} ${(0, shell_1.shellQuote)(`${tmp}.dir`)}`).catch(() => undefined);
        }
    });
}
//# sourceMappingURL=prepare.js.map