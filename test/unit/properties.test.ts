/**
 * Property-based tests (fast-check) of the rollout planner, the host-output parsers, the shell
 * quoting and grammars, Ansible host ranges and --limit. Every property runs with a fixed seed
 * (fast-check prints it with the counterexample on failure), so a run is reproducible and never
 * flaky; the sizes are chosen to keep the whole file to a few seconds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';

import {
  parseDefaultGrub,
  parseGrubCfg,
  parseGrubenv,
  entryForRelease,
} from '../../src/activities/bootloader/grub-debian';
import { parseFacts, splitSections } from '../../src/activities/steps/host-facts';
import { grubenvWritability } from '../../src/activities/bootloader/grub-debian';
import { dpkg, parseInstalledKernels } from '../../src/activities/install/dpkg';
import { expandHostRange } from '../../src/inventory/ansible';
import { LimitPatternError, selectHosts } from '../../src/inventory/limit';
import type { Inventory } from '../../src/inventory/model';
import {
  batchSizeAt,
  batchSizes,
  checkFailureBudget,
  checkStrategy,
  inWindow,
  nextWindowStart,
  parseFailureBudget,
  planBatches,
  type BatchSize,
  type RolloutStrategy,
} from '../../src/shared/rollout-plan';
import {
  GRUB_ENTRY_ID_RE,
  HOST_RE,
  KERNEL_ARG_RE,
  KERNEL_RELEASE_RE,
  PACKAGE_NAME_RE,
  SAFE_ABSOLUTE_PATH_RE,
  SYSTEMD_UNIT_RE,
  USER_RE,
  shellQuote,
} from '../../src/shared/shell';

const SEED = 20_261_107;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

// ---- the rollout planner ---------------------------------------------------------------------

const percent = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 99 }))
  .filter(([w, f]) => (w > 0 || f > 0) && (w < 100 || f === 0))
  .map(([w, f]) => (f === 0 ? `${w}%` : `${w}.${String(f).padStart(2, '0')}%`) as BatchSize);
const batchSize: fc.Arbitrary<BatchSize> = fc.oneof(fc.integer({ min: 1, max: 40 }), percent);
const strategy: fc.Arbitrary<RolloutStrategy> = fc
  .record({
    canary: fc.integer({ min: 0, max: 6 }),
    batches: fc.array(batchSize, { minLength: 1, maxLength: 5 }),
    maxUnavailable: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  })
  .map((s) => {
    const out: RolloutStrategy = { canary: s.canary, batches: s.batches };
    if (s.maxUnavailable !== undefined) out.maxUnavailable = Math.max(s.maxUnavailable, s.canary);
    return out;
  });
const hostList = fc.integer({ min: 0, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `web-${i}`));

describe('rollout planner (properties)', () => {
  test('planBatches: every host exactly once, in order; canary first; no batch over its size or maxUnavailable', () => {
    fc.assert(
      fc.property(hostList, strategy, (hosts, s) => {
        assert.equal(checkStrategy(s), null);
        const batches = planBatches(hosts, s);
        assert.deepEqual(batches.flat(), hosts, 'every host exactly once, in order');
        if (hosts.length > 0 && s.canary > 0) {
          assert.deepEqual(batches[0], hosts.slice(0, s.canary), 'the canary batch comes first');
        }
        batches.forEach((b, i) => {
          const size = batchSizeAt(s, i, hosts.length);
          assert.ok(b.length >= 1, 'no empty batch');
          assert.ok(b.length <= size, `batch ${i}: ${b.length} > its size ${size}`);
          if (s.maxUnavailable !== undefined) assert.ok(b.length <= s.maxUnavailable, `batch ${i} over maxUnavailable`);
          if (i < batches.length - 1) assert.equal(b.length, size, `only the last batch may be short`);
        });
        assert.deepEqual(
          batchSizes(s, hosts.length, hosts.length),
          batches.map((b) => b.length),
          'batchSizes agrees with planBatches',
        );
      }),
      run(300),
    );
  });

  test('batchSizes from any batch index covers exactly the remaining hosts, each size as batchSizeAt says', () => {
    fc.assert(
      fc.property(
        strategy,
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 20 }),
        (s, total, remainingRaw, from) => {
          const remaining = Math.min(remainingRaw, total);
          const sizes = batchSizes(s, total, remaining, from);
          assert.equal(
            sizes.reduce((a, b) => a + b, 0),
            remaining,
          );
          sizes.forEach((n, k) => {
            assert.ok(n >= 1 && n <= batchSizeAt(s, from + k, total));
          });
        },
      ),
      run(300),
    );
  });

  test('a percentage batch is ceil(p% of all hosts), at least 1; a count is itself (before maxUnavailable)', () => {
    fc.assert(
      fc.property(percent, fc.integer({ min: 1, max: 100_000 }), (p, total) => {
        const hundredths = Math.round(Number(String(p).slice(0, -1)) * 100);
        const exact = Number((BigInt(hundredths * total) + 9999n) / 10000n); // ceil, in integers
        assert.equal(batchSizeAt({ canary: 0, batches: [p] }, 0, total), Math.max(1, exact));
      }),
      run(500),
    );
  });

  test('failure budget: a percentage rounds down, a count is itself, never more than asked', () => {
    fc.assert(
      fc.property(
        fc.oneof(percent, fc.constant('0%' as BatchSize)),
        fc.integer({ min: 0, max: 100_000 }),
        (p, total) => {
          const hundredths = Math.round(Number(String(p).slice(0, -1)) * 100);
          const exact = Number(BigInt(hundredths * total) / 10000n); // floor, in integers
          assert.equal(parseFailureBudget(String(p), total), exact);
          assert.ok(exact <= total);
        },
      ),
      run(500),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 1000 }), (n, total) => {
        assert.equal(parseFailureBudget(String(n), total), n);
      }),
      run(200),
    );
  });

  test('checkFailureBudget accepts only a count of up to 9 digits or a percentage up to 100%', () => {
    const text = fc.string({ unit: fc.constantFrom(...'0123456789.%-+e x'.split('')), maxLength: 12 });
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 12 })), (spec) => {
        if (checkFailureBudget(spec) !== null) return;
        const count = /^\d{1,9}$/.test(spec);
        const pct = /^(\d{1,3}(\.\d{1,4})?)%$/.exec(spec);
        assert.ok(count || (pct && Number(pct[1]) <= 100), `accepted ${JSON.stringify(spec)}`);
      }),
      run(1000),
    );
  });

  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham'];
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const windowSpec = fc
    .record({
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      start: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 1439 }),
      zone: fc.constantFrom(...zones),
    })
    .map(({ days, start, length, zone }) => {
      const end = (start + length) % 1440 === 0 ? 1440 : (start + length) % 1440;
      return `${days.map((d) => DAYS[d]).join(',')} ${clock(start)}-${clock(end)} ${zone}`;
    });
  // 2026, including both daylight-saving changes of every zone above.
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((t) => new Date(t));

  test('nextWindowStart: 0 inside the window; else the window is open then and closed the minute before', () => {
    fc.assert(
      fc.property(windowSpec, instant, (spec, date) => {
        let wait: number;
        try {
          wait = nextWindowStart(spec, date);
        } catch (err) {
          // Only a window that lies in a skipped daylight-saving hour may never open.
          assert.match((err as Error).message, /never opens/);
          return;
        }
        const open = inWindow(spec, date);
        if (open) return assert.equal(wait, 0);
        assert.ok(wait > 0 && wait <= 8 * 86_400_000, `wait ${wait}`);
        const at = date.getTime() + wait;
        assert.equal(at % 60_000, 0, 'opens on a whole minute');
        assert.ok(inWindow(spec, new Date(at)), `${spec}: not open at ${new Date(at).toISOString()}`);
        assert.ok(!inWindow(spec, new Date(at - 60_000)), `${spec}: already open the minute before`);
      }),
      run(150),
    );
  });
});

// ---- host output parsers --------------------------------------------------------------------

/** Text with the characters the parsers look for, so arbitrary input hits their branches. */
const hostText = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'menuentry ',
        'submenu ',
        "'Debian'",
        '"x"',
        ' {',
        '}',
        '\n',
        "$menuentry_id_option 'gnulinux-1'",
        '\tlinux /boot/vmlinuz-6.1.0-56-cloud-amd64 root=x',
        '=',
        '#',
        'GRUB_DEFAULT=',
        'export ',
        '"\\"',
        "'",
        ' install ok installed',
        'linux-image-6',
        '@@KR@@ ',
      ),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const releaseArb = fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}-[0-9]{1,3}-[a-z0-9]{1,8}-amd64$/);
// GRUB_ENTRY_ID_RE: no leading dash (an id must never read as an option).
const idArb = fc.stringMatching(/^[A-Za-z0-9_.:+][A-Za-z0-9_.:+-]{0,29}$/);

describe('host output parsers (properties)', () => {
  test('never throw on arbitrary text', () => {
    fc.assert(
      fc.property(hostText, (text) => {
        parseGrubCfg(text);
        parseGrubenv(text);
        parseDefaultGrub(text);
        parseInstalledKernels(text);
        grubenvWritability(text, text);
        splitSections(text);
        parseFacts(
          'web-01',
          {
            'grub-cfg': text,
            grubenv: text,
            'default-grub': text,
            kernels: text,
            'os-release': text,
          },
          dpkg,
        );
      }),
      run(1000),
    );
  });

  test('grub.cfg: generated menus parse back to their ids (submenu>entry) and releases', () => {
    const entry = fc.record({ id: idArb, title: fc.stringMatching(/^[A-Za-z0-9 .,()-]{1,30}$/), release: releaseArb });
    const menu = fc.array(
      fc.oneof(
        entry.map((e) => ({ kind: 'entry' as const, ...e })),
        fc.record({ kind: fc.constant('submenu' as const), id: idArb, entries: fc.array(entry, { maxLength: 4 }) }),
      ),
      { maxLength: 5 },
    );
    const render = (e: { id: string; title: string; release: string }, indent: string) =>
      [
        `${indent}menuentry '${e.title}' --class debian $menuentry_id_option '${e.id}' {`,
        `${indent}\tload_video`,
        `${indent}\tif [ x$feature_platform_search_hint = xy ]; then`,
        `${indent}\t  search --no-floppy --fs-uuid --set=root abc`,
        `${indent}\tfi`,
        `${indent}\tlinux\t/boot/vmlinuz-${e.release} root=UUID=abc ro quiet`,
        `${indent}\tinitrd\t/boot/initrd.img-${e.release}`,
        `${indent}}`,
      ].join('\n');
    fc.assert(
      fc.property(menu, (items) => {
        const text = [
          '### BEGIN /etc/grub.d/10_linux ###',
          ...items.map((it) =>
            it.kind === 'entry'
              ? render(it, '')
              : [
                  `submenu 'Advanced' $menuentry_id_option '${it.id}' {`,
                  ...it.entries.map((e) => render(e, '\t')),
                  '}',
                ].join('\n'),
          ),
          '### END /etc/grub.d/10_linux ###',
        ].join('\n');
        const expected = items.flatMap((it) =>
          it.kind === 'entry'
            ? [{ id: it.id, release: it.release }]
            : it.entries.map((e) => ({ id: `${it.id}>${e.id}`, release: e.release })),
        );
        const parsed = parseGrubCfg(text);
        assert.deepEqual(
          parsed.map((p) => ({ id: p.id, release: p.release })),
          expected,
        );
        for (const p of parsed) assert.ok(GRUB_ENTRY_ID_RE.test(p.id), p.id);
        for (const p of parsed) {
          const chosen = entryForRelease(parsed, p.release!);
          assert.ok(chosen && chosen.release === p.release && !chosen.recovery);
        }
      }),
      run(300),
    );
  });

  test('grubenv: written variables read back as written', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
    const value = fc.string({ maxLength: 40 }).filter((v) => !v.includes('\n'));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (vars) => {
        const body = Object.entries(vars).map(([k, v]) => `${k}=${v}\n`);
        const text = `# GRUB Environment Block\n${body.join('')}`;
        const padded = text + '#'.repeat(Math.max(0, 1024 - text.length));
        assert.deepEqual(parseGrubenv(padded), { ...vars });
      }),
      run(300),
    );
  });

  test('/etc/default/grub: a double-quoted, escaped assignment reads back as its value; the last one wins', () => {
    const name = fc.stringMatching(/^GRUB_[A-Z0-9_]{1,20}$/);
    const value = fc.string({ maxLength: 40 }).filter((v) => !/[\n\r]/.test(v));
    const quote = (v: string) => `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
    fc.assert(
      fc.property(name, value, value, (n, first, last) => {
        const text = `# a comment\n${n}=${quote(first)}\nGRUB_TIMEOUT=5\n${n}=${quote(last)}\n`;
        const parsed = parseDefaultGrub(text);
        assert.equal(parsed[n], last);
        if (n !== 'GRUB_TIMEOUT') assert.equal(parsed['GRUB_TIMEOUT'], '5');
      }),
      run(500),
    );
  });

  test('installed kernels: exactly the linux-image-<release> lines in state "install ok installed"', () => {
    const row = fc.record({ release: releaseArb, installed: fc.boolean(), dbg: fc.boolean() });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        const text = rows
          .map(
            (r) =>
              `linux-image-${r.release}${r.dbg ? '-dbg' : ''} ${r.installed ? 'install ok installed' : 'deinstall ok config-files'}`,
          )
          .join('\n');
        const found = parseInstalledKernels(text);
        assert.deepEqual(
          found,
          rows.filter((r) => r.installed && !r.dbg).map((r) => r.release),
        );
        for (const r of found) assert.ok(KERNEL_RELEASE_RE.test(r));
      }),
      run(300),
    );
  });
});

// ---- shell quoting and grammars ---------------------------------------------------------------

const nastyUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...`'"\\$\`!;&|<>(){}[]*?~#% \t\n\r-=:,./@^`.split('')) },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) },
);
const nasty = fc.string({ unit: nastyUnit, maxLength: 40 }).filter((s) => !s.includes('\0'));

describe('shell quoting and grammars (properties)', () => {
  test("shellQuote: any string without NUL reaches `bash -c 'printf %s …'` byte for byte", () => {
    fc.assert(
      fc.property(nasty, (value) => {
        const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(value)}`]);
        assert.equal(r.status, 0, r.stderr.toString());
        assert.deepEqual(r.stdout, Buffer.from(value, 'utf8'));
      }),
      run(300),
    );
  });

  test('shellQuote: a NUL byte is refused', () => {
    fc.assert(
      fc.property(nasty, nasty, (a, b) => {
        assert.throws(() => shellQuote(`${a}\0${b}`), /NUL/);
      }),
      run(100),
    );
  });

  /** Strings of the grammar (fast-check cannot generate from lookaheads: then its alphabet plus metacharacters). */
  const nearGrammar = (re: RegExp): fc.Arbitrary<string> => {
    try {
      return fc.stringMatching(re);
    } catch {
      const unit = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...'abcxyzAZ0129.-_:/+@'.split('')) },
        { weight: 1, arbitrary: nastyUnit },
      );
      return fc.oneof(
        fc.string({ unit, maxLength: 30 }),
        fc.string({ unit, maxLength: 30 }).map((x) => `/${x}`),
      );
    }
  };
  const SHELL_META = /[\s'"\\$`!;&|<>(){}[\]*?#^\u0000-\u001f\u007f-\uffff]/u;
  const grammars: [string, RegExp, RegExp][] = [
    // name, grammar, characters beyond [A-Za-z0-9._+:@=,/-] it may contain (shellQuote quotes them)
    ['HOST_RE', HOST_RE, /$^/],
    ['KERNEL_RELEASE_RE', KERNEL_RELEASE_RE, /~/],
    ['PACKAGE_NAME_RE', PACKAGE_NAME_RE, /~/],
    ['SAFE_ABSOLUTE_PATH_RE', SAFE_ABSOLUTE_PATH_RE, /$^/],
    ['KERNEL_ARG_RE', KERNEL_ARG_RE, /$^/],
    ['SYSTEMD_UNIT_RE', SYSTEMD_UNIT_RE, /$^/],
    ['USER_RE', USER_RE, /\$$/], // a trailing $ (Samba machine accounts)
    ['GRUB_ENTRY_ID_RE', GRUB_ENTRY_ID_RE, />/], // submenu>entry
  ];
  for (const [name, re, extra] of grammars) {
    test(`${name}: what it accepts holds no shell metacharacter (beyond its documented extra) and survives shellQuote`, () => {
      const candidate = fc.oneof(
        nasty,
        nearGrammar(re),
        nearGrammar(re).map((s) => `${s};reboot`),
      );
      fc.assert(
        fc.property(candidate, (v) => {
          if (!re.test(v)) return;
          const meta = [...v].filter((c) => SHELL_META.test(c) || (c === '~' && !extra.test('~')));
          assert.deepEqual(
            meta.filter((c) => !extra.test(c)),
            [],
            `${name} accepted ${JSON.stringify(v)}`,
          );
          const quoted = shellQuote(v);
          if (!/[~>$]/.test(v)) assert.equal(quoted, v, 'needs no quoting');
        }),
        run(1000),
      );
    });
  }

  test('HOST_RE and KERNEL_RELEASE_RE: never start with "-" (no option injection), never hold a newline', () => {
    fc.assert(
      fc.property(nasty, (v) => {
        for (const re of [HOST_RE, KERNEL_RELEASE_RE]) {
          if (re.test(v)) assert.ok(!v.startsWith('-') && !/[\n\r]/.test(v), JSON.stringify(v));
        }
      }),
      run(2000),
    );
  });
});

// ---- inventories: host ranges and --limit -------------------------------------------------------

describe('inventory patterns (properties)', () => {
  const literal = fc.stringMatching(/^[a-z0-9.-]{0,8}$/);

  test('expandHostRange: [begin:end:step] yields floor((end-begin)/step)+1 names, in order, padded alike', () => {
    fc.assert(
      fc.property(
        literal,
        literal,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (head, tail, a, span, step, pad) => {
          const b = a + span;
          const width = String(b).length + 1;
          const fmt = (n: number) => (pad ? String(n).padStart(width, '0') : String(n));
          const names = expandHostRange(`${head}[${fmt(a)}:${fmt(b)}:${step}]${tail}`);
          assert.ok(Array.isArray(names), String(names));
          const expected: string[] = [];
          for (let i = a; i <= b; i += step) expected.push(`${head}${fmt(i)}${tail}`);
          assert.deepEqual(names, expected);
        },
      ),
      run(300),
    );
  });

  test('expandHostRange: two ranges give the cross product; letters work like numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 5 }),
        (la, lspan, na, nspan) => {
          const letters = 'abcdefghijklmnopqrstuvwxyz';
          const lb = Math.min(25, la + lspan);
          const names = expandHostRange(`r[${letters[la]}:${letters[lb]}]-n[${na}:${na + nspan}]`);
          assert.ok(Array.isArray(names));
          assert.equal(names.length, (lb - la + 1) * (nspan + 1));
          assert.equal(new Set(names).size, names.length);
          assert.equal(names[0], `r${letters[la]}-n${na}`);
        },
      ),
      run(200),
    );
  });

  test('expandHostRange never throws: a list of names or a message', () => {
    const text = fc.string({ unit: fc.constantFrom(...'ab01:[]-9z'.split('')), maxLength: 16 });
    fc.assert(
      fc.property(text, (p) => {
        const r = expandHostRange(p);
        assert.ok(typeof r === 'string' || Array.isArray(r));
      }),
      run(1000),
    );
  });

  const inventoryArb = fc
    .record({
      n: fc.integer({ min: 1, max: 25 }),
      groups: fc.array(fc.array(fc.nat(), { maxLength: 10 }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ n, groups }): Inventory => {
      const names = Array.from({ length: n }, (_, i) => `h-${i}`);
      const byGroup: Record<string, string[]> = {};
      groups.forEach((members, g) => {
        const set = new Set(members.map((m) => names[m % n]!));
        byGroup[`g${g}`] = names.filter((x) => set.has(x));
      });
      byGroup['ungrouped'] = names.filter((x) => !Object.values(byGroup).some((m) => m.includes(x)));
      return {
        file: 'inv.yaml',
        format: 'native',
        hosts: names.map((name, line) => ({
          name,
          groups: Object.keys(byGroup).filter((g) => byGroup[g]!.includes(name)),
          target: { host: name, port: 22, user: 'root', trustOnFirstUse: false },
          line,
        })),
        groups: byGroup,
        warnings: [],
      };
    });

  test('selectHosts: union, &intersection, !exclusion as sets; inventory order; no host twice', () => {
    fc.assert(
      fc.property(
        inventoryArb,
        fc.array(fc.tuple(fc.constantFrom('', '&', '!'), fc.nat()), { minLength: 1, maxLength: 4 }),
        (inv, picks) => {
          const termNames = [...Object.keys(inv.groups), ...inv.hosts.map((h) => h.name), 'all'];
          const terms = picks.map(([op, i]) => [op, termNames[i % termNames.length]!] as const);
          const pattern = terms.map(([op, t]) => `${op}${t}`).join(',');
          const members = (t: string) => new Set(t === 'all' ? inv.hosts.map((h) => h.name) : (inv.groups[t] ?? [t]));
          let selected: string[];
          try {
            selected = selectHosts(inv, pattern).map((h) => h.name);
          } catch (err) {
            // Only a term that selects nothing (an empty group) is refused, and it is named.
            assert.ok(err instanceof LimitPatternError, String(err));
            assert.ok(
              terms.some(([, t]) => members(t).size === 0 || inv.groups[t]?.length === 0),
              err.message,
            );
            return;
          }
          const unions = terms.filter(([op]) => op === '');
          const expected = inv.hosts
            .map((h) => h.name)
            .filter(
              (h) =>
                (unions.length === 0 || unions.some(([, t]) => members(t).has(h))) &&
                terms.filter(([op]) => op === '&').every(([, t]) => members(t).has(h)) &&
                terms.filter(([op]) => op === '!').every(([, t]) => !members(t).has(h)),
            );
          assert.deepEqual(selected, expected, pattern);
        },
      ),
      run(500),
    );
  });

  test('selectHosts: a glob selects exactly the names it matches', () => {
    fc.assert(
      fc.property(inventoryArb, fc.integer({ min: 0, max: 9 }), (inv, d) => {
        const matching = inv.hosts.map((h) => h.name).filter((n) => n.startsWith(`h-${d}`));
        if (matching.length === 0) {
          assert.throws(() => selectHosts(inv, `h-${d}*`), LimitPatternError);
          return;
        }
        assert.deepEqual(
          selectHosts(inv, `h-${d}*`).map((h) => h.name),
          matching,
        );
      }),
      run(200),
    );
  });
});
