"use strict";
/**
 * What every conformance transcript shares (test/conformance/transcript.ts for GRUB,
 * test/conformance/sdboot-transcript.ts for systemd-boot): the hosts it drives (the testbed VM
 * and a simulated host, both over the OpenSSH client), running the steps and observing after
 * each, comparing two runs field by field, the timing table, the simulated twin of the testbed
 * image and the recorded VM run (test/fixtures/<platform>/conformance-transcript.json).
 *
 * A transcript itself is a `Transcript`: its steps (shell commands built from the host's state
 * just before, and reboots), one command that reads the host's state in `@@section` blocks, and a
 * normaliser from that raw state to what is compared.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.nonEmptyLines = exports.noUuid = exports.REBOOT_COMMAND = exports.TRIAL_PANIC_SECONDS = exports.TRIAL_TOKEN = void 0;
exports.vmConformanceHost = vmConformanceHost;
exports.simConformanceHost = simConformanceHost;
exports.sectionsCommand = sectionsCommand;
exports.parseSectionBlocks = parseSectionBlocks;
exports.runTranscriptOf = runTranscriptOf;
exports.diffRunsOf = diffRunsOf;
exports.timingTableOf = timingTableOf;
exports.testbedLikeHost = testbedLikeHost;
exports.recordRun = recordRun;
const vm_1 = require("../../testbed/vm");
const helpers_1 = require("../sim/helpers");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function pollNewBootId(host, previousBootId, deadline) {
    let last = 'not polled';
    while (Date.now() < deadline) {
        const r = await host.run('cat /proc/sys/kernel/random/boot_id', { timeoutMs: 30_000 });
        const id = r.stdout.trim();
        if (r.code === 0 && id && id !== previousBootId)
            return;
        last = r.code === 0 ? 'same boot id' : r.stderr.trim().split('\n').pop() || `exit ${String(r.code)}`;
        await sleep(300);
    }
    throw new Error(`${host.label}: no new boot id before the deadline (last: ${last})`);
}
/** The testbed VM (testbed/vm.ts): boots are counted on its serial console first. */
function vmConformanceHost(vm, log = () => undefined) {
    const host = {
        label: 'VM',
        run: (command, opts = {}) => vm.sshCmd(command, {
            timeoutMs: opts.timeoutMs ?? 600_000,
            ...(opts.input !== undefined ? { input: opts.input } : {}),
        }),
        async reboot(command, previousBootId, timeoutMs) {
            const t0 = Date.now();
            const deadline = t0 + timeoutMs;
            const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
            const boots = vm.bootsSeen();
            const r = await host.run(command, { timeoutMs: 60_000 });
            log(`VM: reboot command returned (exit ${String(r.code)}) after ${since()}`);
            // sshd keeps answering for a moment after the request; the kernel banner on the serial
            // console says the machine really went through firmware and GRUB again.
            await vm.waitForBoots(boots + 1, Math.max(1000, deadline - Date.now()));
            log(`VM: kernel banner on the serial console after ${since()}`);
            await vm.waitForSsh(Math.max(1000, deadline - Date.now()));
            log(`VM: SSH answers after ${since()}`);
            await pollNewBootId(host, previousBootId, deadline);
            return r;
        },
    };
    return host;
}
/** A simulated host (sim/simulator.ts), driven by the real OpenSSH client like the VM. */
function simConformanceHost(sim, name) {
    const sshArgs = (0, helpers_1.simSshArgs)(sim, name, ['-o', 'LogLevel=ERROR']);
    const host = {
        label: 'simulator',
        run: (command, opts = {}) => (0, vm_1.runSshClient)(sshArgs, command, { timeoutMs: opts.timeoutMs ?? 120_000, ...(opts.input !== undefined ? { input: opts.input } : {}) }, 'conformance'),
        async reboot(command, previousBootId, timeoutMs) {
            const r = await host.run(command, { timeoutMs: 30_000 });
            await pollNewBootId(host, previousBootId, Date.now() + timeoutMs);
            return r;
        },
    };
    return host;
}
exports.TRIAL_TOKEN = 'CONFORMANCE';
exports.TRIAL_PANIC_SECONDS = 10;
/** As kernel-rollout's rebootHost does it: detached, so the SSH command returns before sshd stops. */
exports.REBOOT_COMMAND = `(setsid sh -c 'sleep 0.1; systemctl reboot' </dev/null >/dev/null 2>&1 &)`;
/** One command for several sections: each is introduced by an `@@name` line. */
function sectionsCommand(sections) {
    return sections.map(([name, command]) => `echo '@@${name}'; ${command}`).join('; ');
}
/** The `@@name` blocks of the output of sectionsCommand (a missing one reads as ''). */
function parseSectionBlocks(stdout, names) {
    const parts = {};
    let current = null;
    for (const line of stdout.split('\n')) {
        const m = /^@@([a-z._-]+)$/.exec(line);
        if (m && names.includes(m[1] ?? '')) {
            current = m[1] ?? null;
            parts[current ?? ''] = '';
        }
        else if (current !== null)
            parts[current] += `${line}\n`;
    }
    const out = {};
    for (const n of names)
        out[n] = (parts[n] ?? '').replace(/\n$/, '');
    return out;
}
const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Every UUID becomes `<uuid>` (the root filesystem's differs between the image and the simulator). */
const noUuid = (s) => s.replace(UUID_RE, '<uuid>');
exports.noUuid = noUuid;
const nonEmptyLines = (s) => s.split('\n').filter((l) => l.trim() !== '');
exports.nonEmptyLines = nonEmptyLines;
async function observe(t, host) {
    const r = await host.run(t.observeCommand, { timeoutMs: 120_000 });
    if (r.code !== 0 && !r.stdout.includes(`@@${t.lastSection}`)) {
        throw new Error(`${host.label}: reading the state failed (exit ${String(r.code)}): ${r.stderr.trim()}`);
    }
    return t.parse(r.stdout);
}
/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
async function runTranscriptOf(t, host, input, log = () => undefined, rebootTimeoutMs = 900_000) {
    const run = { host: host.label, states: [], seconds: [], totalSeconds: 0, initial: null };
    const t0 = Date.now();
    let before = null;
    try {
        for (const [n, step] of t.steps.entries()) {
            const ts = Date.now();
            let exit = null;
            if (step.command) {
                if (!before)
                    throw new Error('a step with a command before the first observation');
                const command = step.command(input, before);
                const stdin = step.stdin?.(input, before);
                const r = step.reboot
                    ? await host.reboot(command, before.bootId, rebootTimeoutMs)
                    : await host.run(command, { timeoutMs: step.timeoutMs ?? 600_000, ...(stdin ? { input: stdin } : {}) });
                exit = r.code;
                if (r.code !== 0)
                    log(`${host.label}: step ${n} exited ${String(r.code)}: ${r.stderr.trim().slice(-500)}`);
            }
            const raw = await observe(t, host);
            run.initial ??= raw;
            run.states.push(t.normalise(step.title, exit, raw, before?.bootId ?? null));
            run.seconds.push((Date.now() - ts) / 1000);
            log(`${host.label}: step ${n} (${run.seconds[n]?.toFixed(1)} s): ${step.title} → ${raw.uname}`);
            before = raw;
        }
    }
    catch (err) {
        run.error = err.message;
        log(`${host.label}: stopped after ${run.states.length} step(s): ${run.error}`);
    }
    run.totalSeconds = (Date.now() - t0) / 1000;
    return run;
}
// ---- comparing -------------------------------------------------------------------------------------------
function fieldDiff(field, a, b, aName, bName) {
    if (JSON.stringify(a) === JSON.stringify(b))
        return [];
    if (Array.isArray(a) && Array.isArray(b)) {
        const onlyA = a.filter((x) => !b.includes(x));
        const onlyB = b.filter((x) => !a.includes(x));
        const out = [`  ${field}:`];
        for (const x of onlyA)
            out.push(`    - ${aName}: ${String(x)}`);
        for (const x of onlyB)
            out.push(`    + ${bName}: ${String(x)}`);
        if (onlyA.length === 0 && onlyB.length === 0) {
            out.push(`    ${aName}: ${JSON.stringify(a)}`, `    ${bName}: ${JSON.stringify(b)}  (order or repeats differ)`);
        }
        return out;
    }
    return [`  ${field}:`, `    - ${aName}: ${JSON.stringify(a)}`, `    + ${bName}: ${JSON.stringify(b)}`];
}
/**
 * A readable account of where two runs' states differ in `fields`, step by step (empty when they
 * are equal):
 *   step 6 "reboot again: …":
 *     kernel:
 *       - VM: "6.1.0-55-cloud-amd64"
 *       + simulator: "6.1.0-56-cloud-amd64"
 */
function diffRunsOf(fields, a, b) {
    const out = [];
    const n = Math.max(a.states.length, b.states.length);
    for (let i = 0; i < n; i++) {
        const sa = a.states[i];
        const sb = b.states[i];
        const title = sa?.step ?? sb?.step ?? '';
        if (!sa || !sb) {
            out.push(`step ${i} "${title}": only ${sa ? a.host : b.host} got here`);
            continue;
        }
        const lines = fields.flatMap((f) => fieldDiff(f, sa[f], sb[f], a.host, b.host));
        if (sa.step !== sb.step)
            lines.unshift(`  step titles differ: "${sa.step}" / "${sb.step}"`);
        if (lines.length > 0)
            out.push(`step ${i} "${title}":`, ...lines);
    }
    for (const r of [a, b])
        if (r.error)
            out.push(`${r.host} stopped: ${r.error}`);
    return out.join('\n');
}
/** Per-step seconds of several runs side by side (Markdown). */
function timingTableOf(steps, runs) {
    const head = `| step | ${runs.map((r) => `${r.host} s`).join(' | ')} |`;
    const rule = `| --- | ${runs.map(() => '---').join(' | ')} |`;
    const rows = steps.map((s, i) => `| ${i}. ${s.title.slice(0, 70)} | ${runs.map((r) => r.seconds[i]?.toFixed(1) ?? '').join(' | ')} |`);
    const total = `| total | ${runs.map((r) => r.totalSeconds.toFixed(1)).join(' | ')} |`;
    return [head, rule, ...rows, total].join('\n');
}
// ---- the simulated twin of the testbed image ---------------------------------------------------------------
/**
 * A simulated host set up like the testbed image: the same installed kernels with the same package
 * versions (read from the image's first observation) and the same bootloader. The bootloader's
 * files are the simulator's own, which is part of what the transcript compares. The root
 * filesystem UUID (and a systemd-boot host's machine id) is the simulator's, not the image's: ids
 * are compared normalised.
 */
function testbedLikeHost(name, initial, bootloader = 'grub') {
    const kernels = initial.packages
        .split('\n')
        .map((l) => /^linux-image-(\S+) (\S+) install ok installed$/.exec(l.trim()))
        .filter((m) => m !== null)
        .map((m) => ({ release: m[1] ?? '', version: m[2] ?? '' }));
    if (kernels.length === 0)
        throw new Error(`no installed kernel in the recorded dpkg-query output:\n${initial.packages}`);
    return { name, kernels, ...(bootloader === 'grub' ? {} : { bootloader }) };
}
function recordRun(run, input, provenance) {
    return {
        provenance,
        input: { oldRelease: input.oldRelease, newRelease: input.newRelease, debName: input.debName },
        initialPackages: run.initial?.packages ?? '',
        seconds: run.seconds.map((s) => Math.round(s * 10) / 10),
        totalSeconds: Math.round(run.totalSeconds),
        states: run.states,
    };
}
//# sourceMappingURL=common.js.map