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
exports.sameTree = void 0;
exports.pairsOf = pairsOf;
exports.plan = plan;
exports.groupsOf = groupsOf;
exports.attribute = attribute;
exports.runMatrix = runMatrix;
exports.currentRows = currentRows;
exports.markdown = markdown;
exports.treeOf = treeOf;
exports.nodeTestRunner = nodeTestRunner;
/**
 * `npm run test:matrix`: every VM scenario of test/e2e/tiers.ts on every platform it lists, the
 * gate's and the rest. Writes test-artifacts/matrix/results.json and results.md (scenario,
 * platform, outcome, wall seconds, VM-minutes, commit and whether the tree was dirty, date)
 * after each run of a file, so an interrupted matrix keeps every row it finished.
 *
 * Resuming: a scenario that passed on this very tree (same commit, same uncommitted changes) is
 * not run again; the runner says so, with the earlier result. Failed, missing and other-commit
 * rows run again. `--fresh` runs everything; `--only=1,conformance` runs those scenarios.
 * `--e2e` is `npm run test:e2e`: the scenarios KERNEL_ROLLOUT_E2E selects (the gate's when
 * unset), all run now, their rows recorded here like the matrix's own.
 *
 * Like `npm run test:e2e`, the scenarios of one file on one platform run in one `node --test`
 * process (so scenarios 2-6 share one installed layer) with KERNEL_ROLLOUT_E2E naming them and
 * KERNEL_ROLLOUT_PLATFORM the platform, every file on every platform at once; their VMs queue for
 * the machine's VM slots by rank (testbed/vm.ts). Each test's outcome comes from
 * test/tools/matrix-reporter.ts, each VM's time from the KERNEL_ROLLOUT_VM_USAGE file
 * testbed/vm.ts appends to.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_url_1 = require("node:url");
const tiers_1 = require("../e2e/tiers");
const sameTree = (a, b) => a.commit === b.commit && a.dirty === b.dirty && a.changes === b.changes;
exports.sameTree = sameTree;
const short = (commit) => commit.slice(0, 10);
const treeText = (t) => `${short(t.commit)}${t.dirty ? ' (dirty)' : ''}`;
/** Every scenario × platform pair of `list`, or only those `chosen` names (`name@platform`). */
function pairsOf(list, chosen) {
    return list.flatMap((scenario) => scenario.platforms
        .filter((platform) => chosen === undefined || chosen.has(`${scenario.name}@${platform}`))
        .map((platform) => ({ scenario, platform })));
}
/** Which scenario × platform pairs to run, and which passed on this tree already. */
function plan(list, earlier, tree, fresh, chosen) {
    const out = { run: [], skip: [] };
    for (const { scenario, platform } of pairsOf(list, chosen)) {
        const row = earlier.find((r) => r.scenario === scenario.name && r.platform === platform);
        if (fresh)
            out.run.push({ scenario, platform, why: '--fresh' });
        else if (!row)
            out.run.push({ scenario, platform, why: 'no earlier result' });
        else if (!(0, exports.sameTree)(row, tree))
            out.run.push({ scenario, platform, why: `last ${row.outcome} on another tree, ${treeText(row)}` });
        else if (row.outcome !== 'passed')
            out.run.push({ scenario, platform, why: `${row.outcome} on this tree` });
        else
            out.skip.push({ scenario, platform, earlier: row });
    }
    return out;
}
/** The runs for `pairs`: one per file and platform, in the list's order. */
function groupsOf(pairs) {
    const groups = [];
    for (const { scenario, platform } of pairs) {
        let g = groups.find((x) => x.file === scenario.file && x.platform === platform);
        if (!g)
            groups.push((g = { file: scenario.file, platform, scenarios: [] }));
        g.scenarios.push(scenario);
    }
    return groups;
}
/**
 * Each scenario's result from its file's run: its tests (by name), its VMs (by name, shared ones
 * split evenly among the scenarios of the run that share them), and how the process ended. A
 * process that failed with no failed test of a scenario to show for it, or with a failed test of
 * none, fails every scenario that passed (nothing passes on a doubt).
 */
function attribute(group, ended, usage, exitCode) {
    const unattributed = [];
    const tests = ended.filter((e) => !e.suite);
    for (const t of tests)
        if (!group.scenarios.some((s) => s.tests.test(t.name)))
            unattributed.push(`test ${JSON.stringify(t.name)}`);
    const vmSeconds = new Map(group.scenarios.map((s) => [s.name, 0]));
    for (const u of usage) {
        const own = group.scenarios.find((s) => s.vms?.test(u.vm));
        const sharers = group.scenarios.filter((s) => s.sharedVms?.test(u.vm));
        if (own)
            vmSeconds.set(own.name, (vmSeconds.get(own.name) ?? 0) + u.seconds);
        else if (sharers.length > 0)
            for (const s of sharers)
                vmSeconds.set(s.name, (vmSeconds.get(s.name) ?? 0) + u.seconds / sharers.length);
        else
            unattributed.push(`VM ${u.vm} (${u.seconds} s)`);
    }
    const ofAScenario = (t) => group.scenarios.some((s) => s.tests.test(t.name));
    const unexplained = exitCode !== 0 &&
        (!tests.some((t) => t.outcome === 'failed' && ofAScenario(t)) ||
            tests.some((t) => t.outcome === 'failed' && !ofAScenario(t)));
    const results = group.scenarios.map((s) => {
        const mine = tests.filter((t) => s.tests.test(t.name));
        const result = {
            scenario: s.name,
            outcome: mine.length === 0 ? 'did-not-run' : mine.some((t) => t.outcome === 'failed') ? 'failed' : 'passed',
            wallSeconds: Math.round(mine.reduce((sum, t) => sum + t.seconds, 0)),
            vmMinutes: Math.round((vmSeconds.get(s.name) ?? 0) / 6) / 10,
            vmSeconds: Math.round((vmSeconds.get(s.name) ?? 0) * 10) / 10,
            tests: mine.map((t) => ({
                name: t.name,
                outcome: t.outcome,
                seconds: t.seconds,
                ...(t.error ? { error: t.error } : {}),
            })),
        };
        if (result.outcome === 'did-not-run')
            result.note = `no test of it reported (process exit ${String(exitCode)})`;
        else if (result.outcome === 'failed')
            result.note = mine.find((t) => t.error)?.error ?? 'a test failed';
        else if (unexplained) {
            result.outcome = 'failed';
            const other = tests.find((t) => t.outcome === 'failed' && !ofAScenario(t));
            result.note = `its tests passed, but the run of ${group.file} exited ${String(exitCode)}${other ? `: ${other.name}: ${other.error ?? ''}` : ''}`;
        }
        return result;
    });
    return { results, unattributed };
}
/** Plans, says what it skips and why it runs the rest, runs, records. Resolves with every row. */
async function runMatrix(o) {
    const now = o.now ?? (() => new Date());
    const p = plan(o.list, o.earlier.rows, o.tree, o.fresh, o.chosen);
    const results = { rows: o.earlier.rows.map((r) => ({ ...r })) };
    for (const s of p.skip) {
        const e = s.earlier;
        o.say(`skipped ${s.scenario.name} on ${s.platform}: passed on this tree (${treeText(e)}) at ${e.date}, ` +
            `${e.wallSeconds} s, ${e.vmMinutes} VM-min (--fresh runs it again)`);
    }
    for (const r of p.run)
        o.say(`to run: ${r.scenario.name} on ${r.platform} (${r.why})`);
    o.save(results);
    const groups = groupsOf(p.run);
    const record = (group, outcome) => {
        for (const r of outcome.results) {
            const row = { ...r, platform: group.platform, ...o.tree, date: now().toISOString(), log: outcome.log };
            const i = results.rows.findIndex((x) => x.scenario === r.scenario && x.platform === group.platform);
            if (i >= 0)
                results.rows[i] = row;
            else
                results.rows.push(row);
            o.say(`${r.scenario} on ${group.platform}: ${r.outcome}, ${r.wallSeconds} s, ${r.vmMinutes} VM-min` +
                (r.note ? ` (${r.note})` : ''));
        }
        o.save(results);
    };
    // Every run at once (each file on each platform): their VMs queue for the machine's VM slots.
    await Promise.all(groups.map(async (group) => record(group, await o.runGroup(group))));
    return results;
}
/** The rows of `results` for the current list (or its `chosen` pairs), in its order (rows of scenarios since removed are left out). */
function currentRows(list, results, chosen) {
    return pairsOf(list, chosen).flatMap(({ scenario, platform }) => results.rows.filter((r) => r.scenario === scenario.name && r.platform === platform));
}
function markdown(list, results, tree) {
    const rows = currentRows(list, results);
    const missing = pairsOf(list)
        .filter(({ scenario, platform }) => !rows.some((r) => r.scenario === scenario.name && r.platform === platform))
        .map(({ scenario, platform }) => `${scenario.name} on ${platform}`);
    const passed = rows.filter((r) => r.outcome === 'passed').length;
    const total = pairsOf(list).length;
    const vm = Math.round(rows.reduce((n, r) => n + r.vmMinutes, 0) * 10) / 10;
    const lines = [
        '# npm run test:matrix',
        '',
        `Tree now: ${tree.commit}${tree.dirty ? ' with uncommitted changes' : ''}. ${passed} of ${total} passed; ` +
            `rows recorded on another tree are marked *.`,
        '',
        '| scenario | platform | gate | outcome | wall s | VM-min | commit | date |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map((r) => {
            const s = list.find((x) => x.name === r.scenario);
            const other = (0, exports.sameTree)(r, tree) ? '' : '*';
            return (`| ${r.scenario} | ${r.platform} | ${s?.gate?.includes(r.platform) ? 'yes' : 'no'} | ${r.outcome} | ${r.wallSeconds} | ${r.vmMinutes} | ` +
                `${short(r.commit)}${r.dirty ? ' (dirty)' : ''}${other} | ${r.date.slice(0, 16).replace('T', ' ')} |`);
        }),
        `| all | | | ${passed}/${total} passed | | ${vm} | | |`,
    ];
    if (missing.length > 0)
        lines.push('', `Not run yet: ${missing.join(', ')}.`);
    return `${lines.join('\n')}\n`;
}
function git(args, cwd) {
    const r = (0, node_child_process_1.spawnSync)('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30 });
    if (r.status !== 0)
        throw new Error(`git ${args.join(' ')}: ${r.stderr.toString().trim()}`);
    return r.stdout.toString('latin1');
}
function treeOf(root) {
    const commit = git(['rev-parse', 'HEAD'], root).trim();
    const status = git(['status', '--porcelain'], root);
    if (status.trim() === '')
        return { commit, dirty: false, changes: null };
    const h = (0, node_crypto_1.createHash)('sha256').update(git(['diff', 'HEAD', '--binary'], root), 'latin1');
    for (const f of git(['ls-files', '--others', '--exclude-standard', '-z'], root).split('\0').filter(Boolean)) {
        h.update(`\0${f}\0`);
        h.update((0, node_fs_1.readFileSync)(path.join(root, f)));
    }
    return { commit, dirty: true, changes: h.digest('hex') };
}
function readJsonLines(file) {
    if (!(0, node_fs_1.existsSync)(file))
        return [];
    return (0, node_fs_1.readFileSync)(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l));
}
const children = new Set();
/** The real runner: `node --test` on the file's compiled test with KERNEL_ROLLOUT_E2E naming the group. */
function nodeTestRunner(root, runsDir, say, testDir = path.join(root, 'dist', 'test', 'e2e')) {
    return async (group) => {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const dir = path.join(runsDir, `${stamp}-${group.platform}-${group.file.replace(/\.test\.ts$/, '')}`);
        (0, node_fs_1.mkdirSync)(dir, { recursive: true });
        const specLog = path.join(dir, 'spec.log');
        const events = path.join(dir, 'tests.jsonl');
        const usage = path.join(dir, 'vm-usage.jsonl');
        const testFile = path.join(testDir, group.file.replace(/\.ts$/, '.js'));
        const reporter = path.join(root, 'dist', 'test', 'tools', 'matrix-reporter.js');
        const names = group.scenarios.map((s) => s.name).join(',');
        say(`started ${group.file} on ${group.platform}: KERNEL_ROLLOUT_E2E=${names} (log ${path.relative(root, specLog)})`);
        const child = (0, node_child_process_1.spawn)(process.execPath, [
            '--test',
            '--test-reporter=spec',
            `--test-reporter-destination=${specLog}`,
            `--test-reporter=${(0, node_url_1.pathToFileURL)(reporter).href}`,
            `--test-reporter-destination=${events}`,
            testFile,
        ], {
            cwd: root,
            // Its own process group: an interrupted matrix ends it with everything it started (qemu too).
            detached: true,
            stdio: ['ignore', 'inherit', 'inherit'],
            env: {
                ...process.env,
                // Set when this runs under node --test itself (its unit test): the child would report to it.
                NODE_TEST_CONTEXT: undefined,
                KERNEL_ROLLOUT_E2E: names,
                KERNEL_ROLLOUT_PLATFORM: group.platform,
                KERNEL_ROLLOUT_VM_USAGE: usage,
                KERNEL_ROLLOUT_VM_CPUS: process.env['KERNEL_ROLLOUT_VM_CPUS'] ?? '1',
            },
        });
        if (child.pid !== undefined)
            children.add(child.pid);
        const code = await new Promise((resolve) => {
            child.on('error', (err) => {
                say(`${group.file}: ${err.message}`);
                resolve(null);
            });
            child.on('exit', (c) => resolve(c));
        });
        if (child.pid !== undefined)
            children.delete(child.pid);
        const { results, unattributed } = attribute(group, readJsonLines(events), readJsonLines(usage), code);
        for (const u of unattributed)
            say(`${group.file} on ${group.platform}: ${u} belongs to no scenario of the list`);
        return { results, log: path.relative(root, specLog) };
    };
}
function writeAtomically(file, text) {
    (0, node_fs_1.writeFileSync)(`${file}.tmp`, text);
    (0, node_fs_1.renameSync)(`${file}.tmp`, file);
}
function readResults(file) {
    if (!(0, node_fs_1.existsSync)(file))
        return { rows: [] };
    const parsed = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
    if (!Array.isArray(parsed.rows))
        throw new Error(`${file}: no "rows" array; move it away or run with --fresh`);
    return { rows: parsed.rows };
}
async function main() {
    const root = path.join(__dirname, '..', '..', '..');
    const args = process.argv.slice(2);
    const unknown = args.filter((a) => a !== '--fresh' && a !== '--e2e' && !a.startsWith('--only='));
    if (unknown.length > 0) {
        throw new Error(`test:matrix: unknown argument ${unknown.join(' ')} (--fresh, --only=NAMES, --e2e)`);
    }
    // --e2e is `npm run test:e2e`: KERNEL_ROLLOUT_E2E's selection (the gate's when unset), every one
    // of them run now, its rows recorded beside the matrix's so that a later `npm run test:matrix`
    // on the same tree runs only the rest.
    const e2e = args.includes('--e2e');
    const fresh = e2e || args.includes('--fresh');
    const only = args.find((a) => a.startsWith('--only='));
    const chosen = e2e
        ? (0, tiers_1.parseSelection)(process.env['KERNEL_ROLLOUT_E2E'])
        : only === undefined
            ? undefined
            : (0, tiers_1.parseSelection)(only.slice('--only='.length), '--only');
    const list = tiers_1.scenarios.filter((s) => chosen === undefined || s.platforms.some((p) => chosen.has((0, tiers_1.pairKey)(s.name, p))));
    const dir = path.join(root, 'test-artifacts', 'matrix');
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const jsonFile = path.join(dir, 'results.json');
    const mdFile = path.join(dir, 'results.md');
    const tree = treeOf(root);
    const say = (line) => void process.stdout.write(`[matrix] ${line}\n`);
    say(`tree ${tree.commit}${tree.dirty ? ' with uncommitted changes' : ''}; results in ${path.relative(root, dir)}/`);
    const save = (results) => {
        writeAtomically(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
        writeAtomically(mdFile, markdown(tiers_1.scenarios, results, tree));
    };
    const stop = (signal) => {
        say(`${signal}: ending ${children.size} run(s); rows recorded so far stay in results.json`);
        for (const pid of children) {
            try {
                process.kill(-pid, 'SIGTERM');
            }
            catch {
                /* gone */
            }
        }
        process.exit(130);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const results = await runMatrix({
        list,
        earlier: readResults(jsonFile),
        tree,
        fresh,
        ...(chosen ? { chosen } : {}),
        runGroup: nodeTestRunner(root, path.join(dir, 'runs'), say),
        save,
        say,
    });
    process.stdout.write(`\n${markdown(tiers_1.scenarios, results, tree)}`);
    const rows = currentRows(list, results, chosen);
    // A failed scenario's own words in the job's log, not only in its spec log's file.
    for (const r of rows.filter((row) => row.outcome !== 'passed' && (0, node_fs_1.existsSync)(path.join(root, row.log)))) {
        const lines = (0, node_fs_1.readFileSync)(path.join(root, r.log), 'utf8').split('\n');
        process.stdout.write(`\n--- ${r.scenario} on ${r.platform}: ${r.outcome}; the last 120 lines of ${r.log}\n`);
        process.stdout.write(`${lines.slice(-120).join('\n')}\n`);
    }
    const expected = pairsOf(list, chosen).length;
    const ok = rows.length === expected && rows.every((r) => r.outcome === 'passed' && (0, exports.sameTree)(r, tree));
    process.exit(ok ? 0 : 1);
}
if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
    });
}
//# sourceMappingURL=matrix.js.map