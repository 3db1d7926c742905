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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The testbed's VM slots (testbed/vm.ts): at most KERNEL_ROLLOUT_VM_SLOTS VMs at a time on this
 * machine, across processes, so the e2e files can run side by side on two cores. No VM is booted
 * here: the slots are files, and a second process is a real `node` child.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const vm_1 = require("../../testbed/vm");
let dir;
const saved = { TMPDIR: process.env['TMPDIR'], KERNEL_ROLLOUT_VM_SLOTS: process.env['KERNEL_ROLLOUT_VM_SLOTS'] };
const slotDir = () => path.join(dir, `krvm-slots-${process.getuid?.() ?? 0}`);
const noLog = () => undefined;
(0, node_test_1.beforeEach)(() => {
    dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'vm-slots-'));
    process.env['TMPDIR'] = dir;
    process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '2';
});
(0, node_test_1.afterEach)(() => {
    for (const [k, v] of Object.entries(saved)) {
        if (v === undefined)
            delete process.env[k];
        else
            process.env[k] = v;
    }
    (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
});
/** Resolves to 'pending' if `p` has not settled after `ms`. */
async function within(p, ms) {
    let timer;
    const pending = new Promise((r) => (timer = setTimeout(() => r('pending'), ms)));
    try {
        return await Promise.race([p, pending]);
    }
    finally {
        clearTimeout(timer);
    }
}
(0, node_test_1.test)('the third VM waits until one of two slots is given back, then gets that slot', async () => {
    const a = await (0, vm_1.takeVmSlot)('a', noLog);
    const b = await (0, vm_1.takeVmSlot)('b', noLog);
    strict_1.default.notEqual(a, b);
    const c = (0, vm_1.takeVmSlot)('c', noLog);
    strict_1.default.equal(await within(c, 2500), 'pending', 'a third VM got a slot while two were taken');
    (0, vm_1.releaseVmSlot)(a);
    strict_1.default.equal(await within(c, 5000), a);
    (0, vm_1.releaseVmSlot)(b);
    (0, vm_1.releaseVmSlot)(await c);
    strict_1.default.deepEqual((0, node_fs_1.readdirSync)(slotDir()), []);
});
(0, node_test_1.test)('a slot held by a live process elsewhere is taken; one left by a dead process is free', async () => {
    process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
    const slot = path.join(slotDir(), 'slot-0');
    (0, node_fs_1.mkdirSync)(slotDir(), { recursive: true });
    // Held by this test's parent process, which is alive.
    (0, node_fs_1.writeFileSync)(slot, `${process.ppid}\n`);
    const waiting = (0, vm_1.takeVmSlot)('x', noLog);
    strict_1.default.equal(await within(waiting, 2500), 'pending', 'took a slot a live process holds');
    // Now its holder is a process that has exited (a finished child's PID).
    const dead = (0, node_child_process_1.spawnSync)(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    strict_1.default.equal(dead.status, 0);
    (0, node_fs_1.writeFileSync)(slot, `${dead.stdout.toString()}\n`);
    strict_1.default.equal(await within(waiting, 5000), slot);
    (0, vm_1.releaseVmSlot)(slot);
});
/** Polls `cond` every 50 ms for up to `ms`. */
async function until(cond, ms, what) {
    const deadline = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
(0, node_test_1.test)('a free slot goes to a higher-ranked waiter in another process first, then to the lower one', async (t) => {
    process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
    const held = await (0, vm_1.takeVmSlot)('held', noLog);
    const low = (0, vm_1.takeVmSlot)('low', noLog, 1);
    // Another process asks with priority 5 and holds what it gets until told to let go.
    const vmModule = path.join(__dirname, '..', '..', 'testbed', 'vm.js');
    const child = (0, node_child_process_1.spawn)(process.execPath, [
        '-e',
        `const vm = require(${JSON.stringify(vmModule)});
       vm.takeVmSlot('high', () => {}, 5).then((slot) => {
         process.stdout.write('got ' + slot + '\\n');
         process.stdin.once('data', () => { vm.releaseVmSlot(slot); process.exit(0); });
       });`,
    ], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    t.after(() => {
        if (child.exitCode === null)
            child.kill('SIGKILL');
    });
    await until(() => (0, node_fs_1.existsSync)(path.join(slotDir(), `want-${child.pid}`)), 10_000, "the other process's want file");
    (0, vm_1.releaseVmSlot)(held);
    await until(() => out.startsWith('got '), 10_000, 'the higher-ranked waiter to get the slot');
    strict_1.default.equal(out.trim(), `got ${held}`);
    strict_1.default.equal(await within(low, 2500), 'pending', 'the lower-ranked waiter took a slot meanwhile');
    child.stdin.write('go\n');
    await exited;
    strict_1.default.equal(await within(low, 5000), held);
    (0, vm_1.releaseVmSlot)(held);
    strict_1.default.deepEqual((0, node_fs_1.readdirSync)(slotDir()), [], 'no slot or want file left');
});
(0, node_test_1.test)('an announced rank holds lower waiters back before the process asks; a dead announcer does not', async () => {
    process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
    // Announced by a live process (this test's parent) with priority 4.
    (0, vm_1.announceVmSlot)(4);
    const mine = path.join(slotDir(), `want-${process.pid}`);
    const theirs = path.join(slotDir(), `want-${process.ppid}`);
    strict_1.default.equal((0, node_fs_1.readFileSync)(mine, 'utf8'), '4\n');
    (0, node_fs_1.writeFileSync)(theirs, '4\n');
    const waiting = (0, vm_1.takeVmSlot)('low', noLog, 2);
    strict_1.default.equal(await within(waiting, 2500), 'pending', 'took a slot while a live process announced a higher rank');
    // The announcer is now a process that has exited.
    const dead = (0, node_child_process_1.spawnSync)(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    (0, node_fs_1.rmSync)(theirs);
    (0, node_fs_1.writeFileSync)(path.join(slotDir(), `want-${dead.stdout.toString()}`), '4\n');
    const slot = await within(waiting, 5000);
    strict_1.default.equal(slot, path.join(slotDir(), 'slot-0'));
    (0, vm_1.releaseVmSlot)(slot);
    strict_1.default.deepEqual((0, node_fs_1.readdirSync)(slotDir()), [], 'the dead announcer was cleared');
});
(0, node_test_1.test)('a bad KERNEL_ROLLOUT_VM_SLOTS is an error, not a default', async () => {
    process.env['KERNEL_ROLLOUT_VM_SLOTS'] = 'two';
    await strict_1.default.rejects((0, vm_1.takeVmSlot)('y', noLog), /KERNEL_ROLLOUT_VM_SLOTS must be a whole number >= 1, not "two"/);
});
(0, node_test_1.test)('with KERNEL_ROLLOUT_VM_USAGE, each slot given back appends who held it and for how long', async (t) => {
    const usage = path.join(dir, 'usage.jsonl');
    process.env['KERNEL_ROLLOUT_VM_USAGE'] = usage;
    t.after(() => delete process.env['KERNEL_ROLLOUT_VM_USAGE']);
    const a = await (0, vm_1.takeVmSlot)('s1-abc', noLog);
    const b = await (0, vm_1.takeVmSlot)('installed-layer', noLog);
    await new Promise((r) => setTimeout(r, 300));
    (0, vm_1.releaseVmSlot)(b);
    (0, vm_1.releaseVmSlot)(a);
    (0, vm_1.releaseVmSlot)(a); // given back twice: counted once
    const lines = (0, node_fs_1.readFileSync)(usage, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    strict_1.default.deepEqual(lines.map((l) => l.vm), ['installed-layer', 's1-abc']);
    for (const l of lines) {
        strict_1.default.ok(l.seconds >= 0.2 && l.seconds < 10, `${l.vm} held its slot ${l.seconds} s`);
        strict_1.default.equal(l.pid, process.pid);
        strict_1.default.ok(Date.parse(l.to) - Date.parse(l.from) >= 200);
    }
    delete process.env['KERNEL_ROLLOUT_VM_USAGE'];
    (0, vm_1.releaseVmSlot)(await (0, vm_1.takeVmSlot)('unrecorded', noLog));
    strict_1.default.equal((0, node_fs_1.readFileSync)(usage, 'utf8').trim().split('\n').length, 2, 'nothing recorded without the variable');
});
//# sourceMappingURL=vm-slots.test.js.map