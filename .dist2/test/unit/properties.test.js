"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Property-based tests (fast-check) of the rollout planner, the host-output parsers, the shell
 * quoting and grammars, Ansible host ranges and --limit. Every property runs with a fixed seed
 * (fast-check prints it with the counterexample on failure), so a run is reproducible and never
 * flaky; the sizes are chosen to keep the whole file to a few seconds.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_test_1 = require("node:test");
const fast_check_1 = __importDefault(require("fast-check"));
const grub_debian_1 = require("../../src/activities/bootloader/grub-debian");
const host_facts_1 = require("../../src/activities/steps/host-facts");
const grub_debian_2 = require("../../src/activities/bootloader/grub-debian");
const dpkg_1 = require("../../src/activities/install/dpkg");
const ansible_1 = require("../../src/inventory/ansible");
const limit_1 = require("../../src/inventory/limit");
const rollout_plan_1 = require("../../src/shared/rollout-plan");
const shell_1 = require("../../src/shared/shell");
const SEED = 20_261_107;
const run = (numRuns) => ({ seed: SEED, numRuns });
// ---- the rollout planner ---------------------------------------------------------------------
const percent = fast_check_1.default
    .tuple(fast_check_1.default.integer({ min: 0, max: 100 }), fast_check_1.default.integer({ min: 0, max: 99 }))
    .filter(([w, f]) => (w > 0 || f > 0) && (w < 100 || f === 0))
    .map(([w, f]) => (f === 0 ? `${w}%` : `${w}.${String(f).padStart(2, '0')}%`));
const batchSize = fast_check_1.default.oneof(fast_check_1.default.integer({ min: 1, max: 40 }), percent);
const strategy = fast_check_1.default
    .record({
    canary: fast_check_1.default.integer({ min: 0, max: 6 }),
    batches: fast_check_1.default.array(batchSize, { minLength: 1, maxLength: 5 }),
    maxUnavailable: fast_check_1.default.option(fast_check_1.default.integer({ min: 1, max: 30 }), { nil: undefined }),
})
    .map((s) => {
    const out = { canary: s.canary, batches: s.batches };
    if (s.maxUnavailable !== undefined)
        out.maxUnavailable = Math.max(s.maxUnavailable, s.canary);
    return out;
});
const hostList = fast_check_1.default.integer({ min: 0, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `web-${i}`));
(0, node_test_1.describe)('rollout planner (properties)', () => {
    (0, node_test_1.test)('planBatches: every host exactly once, in order; canary first; no batch over its size or maxUnavailable', () => {
        fast_check_1.default.assert(fast_check_1.default.property(hostList, strategy, (hosts, s) => {
            strict_1.default.equal((0, rollout_plan_1.checkStrategy)(s), null);
            const batches = (0, rollout_plan_1.planBatches)(hosts, s);
            strict_1.default.deepEqual(batches.flat(), hosts, 'every host exactly once, in order');
            if (hosts.length > 0 && s.canary > 0) {
                strict_1.default.deepEqual(batches[0], hosts.slice(0, s.canary), 'the canary batch comes first');
            }
            batches.forEach((b, i) => {
                const size = (0, rollout_plan_1.batchSizeAt)(s, i, hosts.length);
                strict_1.default.ok(b.length >= 1, 'no empty batch');
                strict_1.default.ok(b.length <= size, `batch ${i}: ${b.length} > its size ${size}`);
                if (s.maxUnavailable !== undefined)
                    strict_1.default.ok(b.length <= s.maxUnavailable, `batch ${i} over maxUnavailable`);
                if (i < batches.length - 1)
                    strict_1.default.equal(b.length, size, `only the last batch may be short`);
            });
            strict_1.default.deepEqual((0, rollout_plan_1.batchSizes)(s, hosts.length, hosts.length), batches.map((b) => b.length), 'batchSizes agrees with planBatches');
        }), run(300));
    });
    (0, node_test_1.test)('batchSizes from any batch index covers exactly the remaining hosts, each size as batchSizeAt says', () => {
        fast_check_1.default.assert(fast_check_1.default.property(strategy, fast_check_1.default.integer({ min: 1, max: 2000 }), fast_check_1.default.integer({ min: 0, max: 2000 }), fast_check_1.default.integer({ min: 0, max: 20 }), (s, total, remainingRaw, from) => {
            const remaining = Math.min(remainingRaw, total);
            const sizes = (0, rollout_plan_1.batchSizes)(s, total, remaining, from);
            strict_1.default.equal(sizes.reduce((a, b) => a + b, 0), remaining);
            sizes.forEach((n, k) => {
                strict_1.default.ok(n >= 1 && n <= (0, rollout_plan_1.batchSizeAt)(s, from + k, total));
            });
        }), run(300));
    });
    (0, node_test_1.test)('a percentage batch is ceil(p% of all hosts), at least 1; a count is itself (before maxUnavailable)', () => {
        fast_check_1.default.assert(fast_check_1.default.property(percent, fast_check_1.default.integer({ min: 1, max: 100_000 }), (p, total) => {
            const hundredths = Math.round(Number(String(p).slice(0, -1)) * 100);
            const exact = Number((BigInt(hundredths * total) + 9999n) / 10000n); // ceil, in integers
            strict_1.default.equal((0, rollout_plan_1.batchSizeAt)({ canary: 0, batches: [p] }, 0, total), Math.max(1, exact));
        }), run(500));
    });
    (0, node_test_1.test)('failure budget: a percentage rounds down, a count is itself, never more than asked', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.oneof(percent, fast_check_1.default.constant('0%')), fast_check_1.default.integer({ min: 0, max: 100_000 }), (p, total) => {
            const hundredths = Math.round(Number(String(p).slice(0, -1)) * 100);
            const exact = Number(BigInt(hundredths * total) / 10000n); // floor, in integers
            strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)(String(p), total), exact);
            strict_1.default.ok(exact <= total);
        }), run(500));
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.integer({ min: 0, max: 999_999_999 }), fast_check_1.default.integer({ min: 0, max: 1000 }), (n, total) => {
            strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)(String(n), total), n);
        }), run(200));
    });
    (0, node_test_1.test)('checkFailureBudget accepts only a count of up to 9 digits or a percentage up to 100%', () => {
        const text = fast_check_1.default.string({ unit: fast_check_1.default.constantFrom(...'0123456789.%-+e x'.split('')), maxLength: 12 });
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.oneof(text, fast_check_1.default.string({ maxLength: 12 })), (spec) => {
            if ((0, rollout_plan_1.checkFailureBudget)(spec) !== null)
                return;
            const count = /^\d{1,9}$/.test(spec);
            const pct = /^(\d{1,3}(\.\d{1,4})?)%$/.exec(spec);
            strict_1.default.ok(count || (pct && Number(pct[1]) <= 100), `accepted ${JSON.stringify(spec)}`);
        }), run(1000));
    });
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham'];
    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const clock = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const windowSpec = fast_check_1.default
        .record({
        days: fast_check_1.default.uniqueArray(fast_check_1.default.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
        start: fast_check_1.default.integer({ min: 0, max: 1439 }),
        length: fast_check_1.default.integer({ min: 1, max: 1439 }),
        zone: fast_check_1.default.constantFrom(...zones),
    })
        .map(({ days, start, length, zone }) => {
        const end = (start + length) % 1440 === 0 ? 1440 : (start + length) % 1440;
        return `${days.map((d) => DAYS[d]).join(',')} ${clock(start)}-${clock(end)} ${zone}`;
    });
    // 2026, including both daylight-saving changes of every zone above.
    const instant = fast_check_1.default.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((t) => new Date(t));
    (0, node_test_1.test)('nextWindowStart: 0 inside the window; else the window is open then and closed the minute before', () => {
        fast_check_1.default.assert(fast_check_1.default.property(windowSpec, instant, (spec, date) => {
            let wait;
            try {
                wait = (0, rollout_plan_1.nextWindowStart)(spec, date);
            }
            catch (err) {
                // Only a window that lies in a skipped daylight-saving hour may never open.
                strict_1.default.match(err.message, /never opens/);
                return;
            }
            const open = (0, rollout_plan_1.inWindow)(spec, date);
            if (open)
                return strict_1.default.equal(wait, 0);
            strict_1.default.ok(wait > 0 && wait <= 8 * 86_400_000, `wait ${wait}`);
            const at = date.getTime() + wait;
            strict_1.default.equal(at % 60_000, 0, 'opens on a whole minute');
            strict_1.default.ok((0, rollout_plan_1.inWindow)(spec, new Date(at)), `${spec}: not open at ${new Date(at).toISOString()}`);
            strict_1.default.ok(!(0, rollout_plan_1.inWindow)(spec, new Date(at - 60_000)), `${spec}: already open the minute before`);
        }), run(150));
    });
});
// ---- host output parsers --------------------------------------------------------------------
/** Text with the characters the parsers look for, so arbitrary input hits their branches. */
const hostText = fast_check_1.default
    .array(fast_check_1.default.oneof(fast_check_1.default.string({ maxLength: 30 }), fast_check_1.default.constantFrom('menuentry ', 'submenu ', "'Debian'", '"x"', ' {', '}', '\n', "$menuentry_id_option 'gnulinux-1'", '\tlinux /boot/vmlinuz-6.1.0-56-cloud-amd64 root=x', '=', '#', 'GRUB_DEFAULT=', 'export ', '"\\"', "'", ' install ok installed', 'linux-image-6', '@@KR@@ ')), { maxLength: 40 })
    .map((parts) => parts.join(''));
const releaseArb = fast_check_1.default.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}-[0-9]{1,3}-[a-z0-9]{1,8}-amd64$/);
// GRUB_ENTRY_ID_RE: no leading dash (an id must never read as an option).
const idArb = fast_check_1.default.stringMatching(/^[A-Za-z0-9_.:+][A-Za-z0-9_.:+-]{0,29}$/);
(0, node_test_1.describe)('host output parsers (properties)', () => {
    (0, node_test_1.test)('never throw on arbitrary text', () => {
        fast_check_1.default.assert(fast_check_1.default.property(hostText, (text) => {
            (0, grub_debian_1.parseGrubCfg)(text);
            (0, grub_debian_1.parseGrubenv)(text);
            (0, grub_debian_1.parseDefaultGrub)(text);
            (0, dpkg_1.parseInstalledKernels)(text);
            (0, grub_debian_2.grubenvWritability)(text, text);
            (0, host_facts_1.splitSections)(text);
            (0, host_facts_1.parseFacts)('web-01', {
                'grub-cfg': text,
                grubenv: text,
                'default-grub': text,
                kernels: text,
                'os-release': text,
            }, dpkg_1.dpkg);
        }), run(1000));
    });
    (0, node_test_1.test)('grub.cfg: generated menus parse back to their ids (submenu>entry) and releases', () => {
        const entry = fast_check_1.default.record({ id: idArb, title: fast_check_1.default.stringMatching(/^[A-Za-z0-9 .,()-]{1,30}$/), release: releaseArb });
        const menu = fast_check_1.default.array(fast_check_1.default.oneof(entry.map((e) => ({ kind: 'entry', ...e })), fast_check_1.default.record({ kind: fast_check_1.default.constant('submenu'), id: idArb, entries: fast_check_1.default.array(entry, { maxLength: 4 }) })), { maxLength: 5 });
        const render = (e, indent) => [
            `${indent}menuentry '${e.title}' --class debian $menuentry_id_option '${e.id}' {`,
            `${indent}\tload_video`,
            `${indent}\tif [ x$feature_platform_search_hint = xy ]; then`,
            `${indent}\t  search --no-floppy --fs-uuid --set=root abc`,
            `${indent}\tfi`,
            `${indent}\tlinux\t/boot/vmlinuz-${e.release} root=UUID=abc ro quiet`,
            `${indent}\tinitrd\t/boot/initrd.img-${e.release}`,
            `${indent}}`,
        ].join('\n');
        fast_check_1.default.assert(fast_check_1.default.property(menu, (items) => {
            const text = [
                '### BEGIN /etc/grub.d/10_linux ###',
                ...items.map((it) => it.kind === 'entry'
                    ? render(it, '')
                    : [
                        `submenu 'Advanced' $menuentry_id_option '${it.id}' {`,
                        ...it.entries.map((e) => render(e, '\t')),
                        '}',
                    ].join('\n')),
                '### END /etc/grub.d/10_linux ###',
            ].join('\n');
            const expected = items.flatMap((it) => it.kind === 'entry'
                ? [{ id: it.id, release: it.release }]
                : it.entries.map((e) => ({ id: `${it.id}>${e.id}`, release: e.release })));
            const parsed = (0, grub_debian_1.parseGrubCfg)(text);
            strict_1.default.deepEqual(parsed.map((p) => ({ id: p.id, release: p.release })), expected);
            for (const p of parsed)
                strict_1.default.ok(shell_1.GRUB_ENTRY_ID_RE.test(p.id), p.id);
            for (const p of parsed) {
                const chosen = (0, grub_debian_1.entryForRelease)(parsed, p.release);
                strict_1.default.ok(chosen && chosen.release === p.release && !chosen.recovery);
            }
        }), run(300));
    });
    (0, node_test_1.test)('grubenv: written variables read back as written', () => {
        const key = fast_check_1.default.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
        const value = fast_check_1.default.string({ maxLength: 40 }).filter((v) => !v.includes('\n'));
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.dictionary(key, value, { maxKeys: 8 }), (vars) => {
            const body = Object.entries(vars).map(([k, v]) => `${k}=${v}\n`);
            const text = `# GRUB Environment Block\n${body.join('')}`;
            const padded = text + '#'.repeat(Math.max(0, 1024 - text.length));
            strict_1.default.deepEqual((0, grub_debian_1.parseGrubenv)(padded), { ...vars });
        }), run(300));
    });
    (0, node_test_1.test)('/etc/default/grub: a double-quoted, escaped assignment reads back as its value; the last one wins', () => {
        const name = fast_check_1.default.stringMatching(/^GRUB_[A-Z0-9_]{1,20}$/);
        const value = fast_check_1.default.string({ maxLength: 40 }).filter((v) => !/[\n\r]/.test(v));
        const quote = (v) => `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
        fast_check_1.default.assert(fast_check_1.default.property(name, value, value, (n, first, last) => {
            const text = `# a comment\n${n}=${quote(first)}\nGRUB_TIMEOUT=5\n${n}=${quote(last)}\n`;
            const parsed = (0, grub_debian_1.parseDefaultGrub)(text);
            strict_1.default.equal(parsed[n], last);
            if (n !== 'GRUB_TIMEOUT')
                strict_1.default.equal(parsed['GRUB_TIMEOUT'], '5');
        }), run(500));
    });
    (0, node_test_1.test)('installed kernels: exactly the linux-image-<release> lines in state "install ok installed"', () => {
        const row = fast_check_1.default.record({ release: releaseArb, installed: fast_check_1.default.boolean(), dbg: fast_check_1.default.boolean() });
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.array(row, { maxLength: 10 }), (rows) => {
            const text = rows
                .map((r) => `linux-image-${r.release}${r.dbg ? '-dbg' : ''} ${r.installed ? 'install ok installed' : 'deinstall ok config-files'}`)
                .join('\n');
            const found = (0, dpkg_1.parseInstalledKernels)(text);
            strict_1.default.deepEqual(found, rows.filter((r) => r.installed && !r.dbg).map((r) => r.release));
            for (const r of found)
                strict_1.default.ok(shell_1.KERNEL_RELEASE_RE.test(r));
        }), run(300));
    });
});
// ---- shell quoting and grammars ---------------------------------------------------------------
const nastyUnit = fast_check_1.default.oneof({ weight: 3, arbitrary: fast_check_1.default.constantFrom(...`'"\\$\`!;&|<>(){}[]*?~#% \t\n\r-=:,./@^`.split('')) }, { weight: 3, arbitrary: fast_check_1.default.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }) }, { weight: 1, arbitrary: fast_check_1.default.string({ minLength: 1, maxLength: 1, unit: 'binary' }) });
const nasty = fast_check_1.default.string({ unit: nastyUnit, maxLength: 40 }).filter((s) => !s.includes('\0'));
(0, node_test_1.describe)('shell quoting and grammars (properties)', () => {
    (0, node_test_1.test)("shellQuote: any string without NUL reaches `bash -c 'printf %s …'` byte for byte", () => {
        fast_check_1.default.assert(fast_check_1.default.property(nasty, (value) => {
            const r = (0, node_child_process_1.spawnSync)('bash', ['-c', `printf %s ${(0, shell_1.shellQuote)(value)}`]);
            strict_1.default.equal(r.status, 0, r.stderr.toString());
            strict_1.default.deepEqual(r.stdout, Buffer.from(value, 'utf8'));
        }), run(300));
    });
    (0, node_test_1.test)('shellQuote: a NUL byte is refused', () => {
        fast_check_1.default.assert(fast_check_1.default.property(nasty, nasty, (a, b) => {
            strict_1.default.throws(() => (0, shell_1.shellQuote)(`${a}\0${b}`), /NUL/);
        }), run(100));
    });
    /** Strings of the grammar (fast-check cannot generate from lookaheads: then its alphabet plus metacharacters). */
    const nearGrammar = (re) => {
        try {
            return fast_check_1.default.stringMatching(re);
        }
        catch {
            const unit = fast_check_1.default.oneof({ weight: 8, arbitrary: fast_check_1.default.constantFrom(...'abcxyzAZ0129.-_:/+@'.split('')) }, { weight: 1, arbitrary: nastyUnit });
            return fast_check_1.default.oneof(fast_check_1.default.string({ unit, maxLength: 30 }), fast_check_1.default.string({ unit, maxLength: 30 }).map((x) => `/${x}`));
        }
    };
    const SHELL_META = /[\s'"\\$`!;&|<>(){}[\]*?#^\u0000-\u001f\u007f-\uffff]/u;
    const grammars = [
        // name, grammar, characters beyond [A-Za-z0-9._+:@=,/-] it may contain (shellQuote quotes them)
        ['HOST_RE', shell_1.HOST_RE, /$^/],
        ['KERNEL_RELEASE_RE', shell_1.KERNEL_RELEASE_RE, /~/],
        ['PACKAGE_NAME_RE', shell_1.PACKAGE_NAME_RE, /~/],
        ['SAFE_ABSOLUTE_PATH_RE', shell_1.SAFE_ABSOLUTE_PATH_RE, /$^/],
        ['KERNEL_ARG_RE', shell_1.KERNEL_ARG_RE, /$^/],
        ['SYSTEMD_UNIT_RE', shell_1.SYSTEMD_UNIT_RE, /$^/],
        ['USER_RE', shell_1.USER_RE, /\$$/], // a trailing $ (Samba machine accounts)
        ['GRUB_ENTRY_ID_RE', shell_1.GRUB_ENTRY_ID_RE, />/], // submenu>entry
    ];
    for (const [name, re, extra] of grammars) {
        (0, node_test_1.test)(`${name}: what it accepts holds no shell metacharacter (beyond its documented extra) and survives shellQuote`, () => {
            const candidate = fast_check_1.default.oneof(nasty, nearGrammar(re), nearGrammar(re).map((s) => `${s};reboot`));
            fast_check_1.default.assert(fast_check_1.default.property(candidate, (v) => {
                if (!re.test(v))
                    return;
                const meta = [...v].filter((c) => SHELL_META.test(c) || (c === '~' && !extra.test('~')));
                strict_1.default.deepEqual(meta.filter((c) => !extra.test(c)), [], `${name} accepted ${JSON.stringify(v)}`);
                const quoted = (0, shell_1.shellQuote)(v);
                if (!/[~>$]/.test(v))
                    strict_1.default.equal(quoted, v, 'needs no quoting');
            }), run(1000));
        });
    }
    (0, node_test_1.test)('HOST_RE and KERNEL_RELEASE_RE: never start with "-" (no option injection), never hold a newline', () => {
        fast_check_1.default.assert(fast_check_1.default.property(nasty, (v) => {
            for (const re of [shell_1.HOST_RE, shell_1.KERNEL_RELEASE_RE]) {
                if (re.test(v))
                    strict_1.default.ok(!v.startsWith('-') && !/[\n\r]/.test(v), JSON.stringify(v));
            }
        }), run(2000));
    });
});
// ---- inventories: host ranges and --limit -------------------------------------------------------
(0, node_test_1.describe)('inventory patterns (properties)', () => {
    const literal = fast_check_1.default.stringMatching(/^[a-z0-9.-]{0,8}$/);
    (0, node_test_1.test)('expandHostRange: [begin:end:step] yields floor((end-begin)/step)+1 names, in order, padded alike', () => {
        fast_check_1.default.assert(fast_check_1.default.property(literal, literal, fast_check_1.default.integer({ min: 0, max: 300 }), fast_check_1.default.integer({ min: 0, max: 300 }), fast_check_1.default.integer({ min: 1, max: 7 }), fast_check_1.default.boolean(), (head, tail, a, span, step, pad) => {
            const b = a + span;
            const width = String(b).length + 1;
            const fmt = (n) => (pad ? String(n).padStart(width, '0') : String(n));
            const names = (0, ansible_1.expandHostRange)(`${head}[${fmt(a)}:${fmt(b)}:${step}]${tail}`);
            strict_1.default.ok(Array.isArray(names), String(names));
            const expected = [];
            for (let i = a; i <= b; i += step)
                expected.push(`${head}${fmt(i)}${tail}`);
            strict_1.default.deepEqual(names, expected);
        }), run(300));
    });
    (0, node_test_1.test)('expandHostRange: two ranges give the cross product; letters work like numbers', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.integer({ min: 0, max: 25 }), fast_check_1.default.integer({ min: 0, max: 10 }), fast_check_1.default.integer({ min: 0, max: 9 }), fast_check_1.default.integer({ min: 0, max: 5 }), (la, lspan, na, nspan) => {
            const letters = 'abcdefghijklmnopqrstuvwxyz';
            const lb = Math.min(25, la + lspan);
            const names = (0, ansible_1.expandHostRange)(`r[${letters[la]}:${letters[lb]}]-n[${na}:${na + nspan}]`);
            strict_1.default.ok(Array.isArray(names));
            strict_1.default.equal(names.length, (lb - la + 1) * (nspan + 1));
            strict_1.default.equal(new Set(names).size, names.length);
            strict_1.default.equal(names[0], `r${letters[la]}-n${na}`);
        }), run(200));
    });
    (0, node_test_1.test)('expandHostRange never throws: a list of names or a message', () => {
        const text = fast_check_1.default.string({ unit: fast_check_1.default.constantFrom(...'ab01:[]-9z'.split('')), maxLength: 16 });
        fast_check_1.default.assert(fast_check_1.default.property(text, (p) => {
            const r = (0, ansible_1.expandHostRange)(p);
            strict_1.default.ok(typeof r === 'string' || Array.isArray(r));
        }), run(1000));
    });
    const inventoryArb = fast_check_1.default
        .record({
        n: fast_check_1.default.integer({ min: 1, max: 25 }),
        groups: fast_check_1.default.array(fast_check_1.default.array(fast_check_1.default.nat(), { maxLength: 10 }), { minLength: 1, maxLength: 4 }),
    })
        .map(({ n, groups }) => {
        const names = Array.from({ length: n }, (_, i) => `h-${i}`);
        const byGroup = {};
        groups.forEach((members, g) => {
            const set = new Set(members.map((m) => names[m % n]));
            byGroup[`g${g}`] = names.filter((x) => set.has(x));
        });
        byGroup['ungrouped'] = names.filter((x) => !Object.values(byGroup).some((m) => m.includes(x)));
        return {
            file: 'inv.yaml',
            format: 'native',
            hosts: names.map((name, line) => ({
                name,
                groups: Object.keys(byGroup).filter((g) => byGroup[g].includes(name)),
                target: { host: name, port: 22, user: 'root', trustOnFirstUse: false },
                line,
            })),
            groups: byGroup,
            warnings: [],
        };
    });
    (0, node_test_1.test)('selectHosts: union, &intersection, !exclusion as sets; inventory order; no host twice', () => {
        fast_check_1.default.assert(fast_check_1.default.property(inventoryArb, fast_check_1.default.array(fast_check_1.default.tuple(fast_check_1.default.constantFrom('', '&', '!'), fast_check_1.default.nat()), { minLength: 1, maxLength: 4 }), (inv, picks) => {
            const termNames = [...Object.keys(inv.groups), ...inv.hosts.map((h) => h.name), 'all'];
            const terms = picks.map(([op, i]) => [op, termNames[i % termNames.length]]);
            const pattern = terms.map(([op, t]) => `${op}${t}`).join(',');
            const members = (t) => new Set(t === 'all' ? inv.hosts.map((h) => h.name) : (inv.groups[t] ?? [t]));
            let selected;
            try {
                selected = (0, limit_1.selectHosts)(inv, pattern).map((h) => h.name);
            }
            catch (err) {
                // Only a term that selects nothing (an empty group) is refused, and it is named.
                strict_1.default.ok(err instanceof limit_1.LimitPatternError, String(err));
                strict_1.default.ok(terms.some(([, t]) => members(t).size === 0 || inv.groups[t]?.length === 0), err.message);
                return;
            }
            const unions = terms.filter(([op]) => op === '');
            const expected = inv.hosts
                .map((h) => h.name)
                .filter((h) => (unions.length === 0 || unions.some(([, t]) => members(t).has(h))) &&
                terms.filter(([op]) => op === '&').every(([, t]) => members(t).has(h)) &&
                terms.filter(([op]) => op === '!').every(([, t]) => !members(t).has(h)));
            strict_1.default.deepEqual(selected, expected, pattern);
        }), run(500));
    });
    (0, node_test_1.test)('selectHosts: a glob selects exactly the names it matches', () => {
        fast_check_1.default.assert(fast_check_1.default.property(inventoryArb, fast_check_1.default.integer({ min: 0, max: 9 }), (inv, d) => {
            const matching = inv.hosts.map((h) => h.name).filter((n) => n.startsWith(`h-${d}`));
            if (matching.length === 0) {
                strict_1.default.throws(() => (0, limit_1.selectHosts)(inv, `h-${d}*`), limit_1.LimitPatternError);
                return;
            }
            strict_1.default.deepEqual((0, limit_1.selectHosts)(inv, `h-${d}*`).map((h) => h.name), matching);
        }), run(200));
    });
});
//# sourceMappingURL=properties.test.js.map