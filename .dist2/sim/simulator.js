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
exports.startSimulator = startSimulator;
/**
 * Fleet simulator: many simulated Debian 12 hosts in one Node process, each a real SSH server on
 * 127.0.0.1 (its own port and host key, public-key auth). Every command runs in a real
 * `bash -c` inside a bubblewrap sandbox that gives the host its own /boot, /etc/default,
 * /etc/grub.d, /etc/systemd/system, /var, /run, /tmp, /root and /proc/{cmdline,uptime,
 * sys/kernel/random/boot_id,sys/kernel/osrelease}; the boot-layer tools are sim/tools/krsim.
 * The boot model (what GRUB and the kernel do at power-on) is sim/model.ts; both are documented
 * in sim/MODEL.md.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const ssh2_1 = require("ssh2");
const model_1 = require("./model");
const systemd_boot_1 = require("./systemd-boot");
const TESTBED_UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const DEFAULT_KERNEL = { release: '6.1.0-55-cloud-amd64', version: '6.1.192-1', bytes: 27_647_177 };
const DEFAULT_REPO = [
    { release: '6.1.0-56-cloud-amd64', version: '6.1.192-2', bytes: 20_443_093 },
];
/** df -B1 --output=avail /boot on the testbed VM (test/fixtures/debian12/df-boot.txt) + what it used. */
const DEFAULT_BOOT_CAPACITY = 3_517_562_880 + 27_647_177 + 2_097_152;
const SHUTDOWN_MS = 300;
const COMMAND_LOG_CAP = 5000;
const SSH_IDENT = 'OpenSSH_9.2p1 Debian-2+deb12u3';
const TOOL_NAMES = [
    'uname', 'update-grub', 'update-grub2', 'grub-mkconfig', 'grub-editenv', 'grub-set-default', 'grub-reboot',
    'dpkg', 'dpkg-query', 'apt-get', 'apt', 'apt-cache', 'systemctl', 'reboot', 'shutdown', 'poweroff', 'halt',
    'kexec', 'df', 'findmnt', 'lsblk', 'lslocks', 'journalctl', 'sudo',
]; // prettier-ignore
/** Real paths a client may call by absolute name (Ansible's reboot runs /sbin/shutdown). */
const OVERRIDDEN_BINARIES = ['/usr/sbin/reboot', '/usr/sbin/shutdown', '/usr/sbin/poweroff', '/usr/bin/systemctl'];
const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
function fingerprintOf(publicKey) {
    const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
    return `SHA256:${(0, node_crypto_1.createHash)('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
function newHostKey() {
    // ssh2 1.17's generateKeyPairSync('ed25519') writes a key its own parser rejects about 4 times
    // in 1000 ("Malformed OpenSSH private key"): generate until it parses.
    for (;;) {
        const pair = ssh2_1.utils.generateKeyPairSync('ed25519');
        if (ssh2_1.utils.parseKey(pair.private) instanceof Error)
            continue;
        const pub = pair.public.trim().split(/\s+/).slice(0, 2).join(' ');
        return { private: pair.private, public: pub, fingerprint: fingerprintOf(pub) };
    }
}
function findToolsSource() {
    // dist/sim/simulator.js and sim/simulator.ts both find <repo>/sim/tools/krsim.
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const p = path.join(dir, 'sim', 'tools', 'krsim');
        if (fs.existsSync(p))
            return p;
    }
    throw new Error('fleet simulator: sim/tools/krsim not found above ' + __dirname);
}
function fixture(name) {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const p = path.join(dir, 'test', 'fixtures', 'debian12', name);
        if (fs.existsSync(p))
            return fs.readFileSync(p, 'utf8').replace(/^# captured from[^\n]*\n/, '');
    }
    throw new Error(`fleet simulator: fixture ${name} not found`);
}
/** Files of the grub.d directory as Debian ships them (the generated sections are built in). */
function grubDScripts() {
    const generated = '#! /bin/sh\n# kernel-rollout simulator: update-grub generates this section itself (sim/MODEL.md)\n';
    return {
        '00_header': generated,
        '05_debian_theme': generated,
        '10_linux': generated,
        '20_linux_xen': generated,
        '30_os-prober': generated,
        '30_uefi-firmware': generated,
        '40_custom': '#!/bin/sh\nexec tail -n +3 $0\n# This file provides an easy way to add custom menu entries.  Simply type the\n' +
            "# menu entries you want to add after this comment.  Be careful not to change\n# the 'exec tail' line above.\n",
        '41_custom': '#!/bin/sh\ncat <<EOF\nif [ -f  \\${config_directory}/custom.cfg ]; then\n  source \\${config_directory}/custom.cfg\n' +
            'elif [ -z "\\${config_directory}" -a -f  \\$prefix/custom.cfg ]; then\n  source \\$prefix/custom.cfg\nfi\nEOF\n',
    };
}
function killMarked(matches) {
    let killed = 0;
    for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
            continue;
        let environ;
        try {
            environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
        }
        catch {
            continue;
        }
        const marker = environ.split('\0').find((e) => e.startsWith('KRSIM_HOST='));
        if (marker && matches(marker.slice('KRSIM_HOST='.length))) {
            try {
                process.kill(Number(pid), 'SIGKILL');
                killed += 1;
            }
            catch {
                // gone already
            }
        }
    }
    return killed;
}
// ---- per-host files (paths in the host's state directory) -------------------------------------
const hp = (h, ...p) => path.join(h.dir, ...p);
const meta = (h, f) => hp(h, 'var', 'lib', 'kernel-rollout-sim', f);
const viewToReal = (h, p) => {
    const binds = [
        ['/boot', 'boot'],
        ['/etc/default', 'etc-default'],
        ['/etc/grub.d', 'grub.d'],
        ['/etc/systemd/system', 'systemd'],
        ['/var', 'var'],
        ['/run', 'run'],
        ['/tmp', 'tmp'],
        ['/root', 'root'],
    ];
    for (const [view, sub] of binds)
        if (p === view || p.startsWith(`${view}/`))
            return hp(h, sub) + p.slice(view.length);
    return p;
};
const sdPaths = (h) => ({
    esp: hp(h, 'boot', systemd_boot_1.ESP_IN_BOOT),
    efivars: hp(h, 'efivars'),
    systemd: hp(h, 'systemd'),
});
function log(h, source, user, command) {
    h.commands.push({ at: Date.now(), source, user, command });
    if (h.commands.length > COMMAND_LOG_CAP)
        h.commands.splice(0, h.commands.length - COMMAND_LOG_CAP);
}
function setState(h, state) {
    h.state = state;
    for (const w of [...h.waiters])
        w();
}
/** What GRUB does at a firmware boot: the entry it picks, the release and command line it boots. */
function firmwareBootChoice(h) {
    if (h.sdboot)
        return (0, systemd_boot_1.sdbootSelect)(sdPaths(h));
    let release;
    let cmdline = '';
    const envPath = hp(h, 'boot/grub/grubenv');
    const cfgPath = hp(h, 'boot/grub/grub.cfg');
    const customPath = hp(h, 'boot/grub/custom.cfg');
    const sel = (0, model_1.grubSelect)(fs.existsSync(envPath) ? fs.readFileSync(envPath, 'utf8') : '', (0, model_1.withCustomCfg)(fs.existsSync(cfgPath) ? fs.readFileSync(cfgPath, 'utf8') : '', fs.existsSync(customPath) ? fs.readFileSync(customPath, 'utf8') : null));
    if (fs.existsSync(envPath))
        fs.writeFileSync(envPath, sel.grubenv);
    const reason = sel.reason;
    const entryId = sel.entry?.idPath;
    const image = sel.entry?.linuxImage ?? null;
    release = image ? (0, model_1.releaseOfImage)(image) : null;
    if (image && release && fs.existsSync(viewToReal(h, image)))
        cmdline = (0, model_1.kernelCmdline)(image, sel.entry?.linuxArgs ?? '');
    else
        release = null;
    return { release, cmdline, entryId, reason };
}
/** A host as it is before its first boot. */
function newHostRuntime(name, dir, faults) {
    return {
        name,
        dir,
        port: 0,
        listener: net.createServer(),
        ssh: undefined,
        hostKey: newHostKey(),
        token: (0, node_crypto_1.randomBytes)(12).toString('hex'),
        faults,
        dropsLeft: faults.dropMidCommand?.times ?? 1,
        state: 'down',
        bootId: '',
        release: '',
        cmdline: '',
        kernelStartedAt: Date.now(),
        bootCount: 0,
        rebootsRequested: 0,
        powerResets: 0,
        boots: [],
        commands: [],
        sockets: new Map(),
        timers: new Set(),
        waiters: new Set(),
    };
}
const info = (h) => ({
    name: h.name,
    address: '127.0.0.1',
    port: h.port,
    hostKeyFingerprint: h.hostKey.fingerprint,
    hostPublicKey: h.hostKey.public,
    knownHostsLine: `[127.0.0.1]:${h.port} ${h.hostKey.public}`,
});
function inspectHost(name, h) {
    const env = (0, model_1.parseGrubenvBlock)(fs.readFileSync(hp(h, 'boot/grub/grubenv'), 'utf8'));
    const val = (k) => env.find((v) => v.key === k)?.value || null;
    const grubDefault = /^GRUB_DEFAULT=(.*)$/m.exec(fs.readFileSync(hp(h, 'etc-default/grub'), 'utf8'))?.[1] ?? null;
    return {
        name,
        state: h.state,
        bootId: h.bootId,
        runningKernel: h.release,
        cmdline: h.cmdline,
        savedEntry: val('saved_entry'),
        nextEntry: val('next_entry'),
        grubDefault,
        installedKernels: fs
            .readFileSync(meta(h, 'kernels'), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split(' ')[0] ?? ''),
        bootCount: h.bootCount,
        rebootsRequested: h.rebootsRequested,
        powerResets: h.powerResets,
        boots: h.boots.map((b) => ({ ...b })),
        ...(h.sdboot ? { systemdBoot: inspectSdBoot(h) } : {}),
    };
}
function inspectSdBoot(h) {
    const p = sdPaths(h);
    const conf = path.join(p.esp, 'loader', 'loader.conf');
    return {
        entries: fs.readdirSync(path.join(p.esp, 'loader', 'entries')).sort(),
        defaultEntry: (0, systemd_boot_1.readVar)(p, 'LoaderEntryDefault'),
        oneShotEntry: (0, systemd_boot_1.readVar)(p, 'LoaderEntryOneShot'),
        loaderConfDefault: fs.existsSync(conf)
            ? ([...fs.readFileSync(conf, 'utf8').matchAll(/^\s*default\s+(\S+)\s*$/gm)].pop()?.[1] ?? null)
            : null,
    };
}
/** The whole simulated fleet: what startSimulator sets up, and what its Simulator drives. */
class Fleet {
    opts;
    bootSeconds;
    kexecSeconds;
    simId = (0, node_crypto_1.randomBytes)(4).toString('hex');
    root;
    specs;
    repo;
    /** Shared, read-only: the tools (bound at /usr/local/sbin). */
    tools;
    /** A copy of /etc with the mount points the per-host binds need (the real / stays untouched). */
    etc;
    overridden;
    clientKeyPath;
    clientPub;
    clientPubSsh;
    hosts = new Map();
    adminToken;
    byToken = new Map();
    stopped = false;
    templateCfg = new Map();
    control;
    controlPort = 0;
    controlPath;
    knownHostsPath;
    constructor(opts) {
        this.opts = opts;
        this.bootSeconds = opts.bootSeconds ?? 3;
        this.kexecSeconds = opts.kexecSeconds ?? this.bootSeconds / 2;
        const root = opts.stateDir ?? fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'krsim-'));
        this.root = root;
        fs.mkdirSync(root, { recursive: true });
        const prefix = opts.namePrefix ?? 'sim-';
        this.specs =
            typeof opts.hosts === 'number'
                ? Array.from({ length: opts.hosts }, (_, i) => ({ name: `${prefix}${String(i + 1).padStart(3, '0')}` }))
                : opts.hosts.map((s, i) => ({ ...s, name: s.name ?? `${prefix}${String(i + 1).padStart(3, '0')}` }));
        this.repo = opts.aptRepository ?? DEFAULT_REPO;
        this.tools = path.join(root, 'tools');
        this.etc = path.join(root, 'etc');
        this.overridden = this.prepareSharedFiles();
        this.clientKeyPath = path.join(root, 'client_ed25519');
        this.clientPub = this.prepareClientKey();
        this.clientPubSsh = this.clientPub.getPublicSSH();
        this.adminToken = (0, node_crypto_1.randomBytes)(16).toString('hex');
        this.controlPath = path.join(root, 'control.json');
        this.knownHostsPath = path.join(root, 'known_hosts');
    }
    /** Writes the tools and the /etc copy; returns the real binaries the tools stand in for. */
    prepareSharedFiles() {
        const { tools, etc } = this;
        fs.mkdirSync(tools, { recursive: true });
        fs.copyFileSync(findToolsSource(), path.join(tools, 'krsim'));
        fs.chmodSync(path.join(tools, 'krsim'), 0o755);
        for (const t of TOOL_NAMES)
            if (!fs.existsSync(path.join(tools, t)))
                fs.symlinkSync('krsim', path.join(tools, t));
        fs.copyFileSync(path.join(path.dirname(findToolsSource()), 'krsim-sdboot'), path.join(tools, 'krsim-sdboot'));
        fs.chmodSync(path.join(tools, 'krsim-sdboot'), 0o755);
        for (const t of systemd_boot_1.SDBOOT_TOOL_NAMES) {
            if (!fs.existsSync(path.join(tools, t)))
                fs.symlinkSync('krsim-sdboot', path.join(tools, t));
        }
        if (!fs.existsSync(etc))
            (0, node_child_process_1.execFileSync)('cp', ['-a', '/etc', etc]);
        for (const d of ['default', 'grub.d', 'systemd/system'])
            fs.mkdirSync(path.join(etc, d), { recursive: true });
        fs.rmSync(path.join(etc, 'os-release'), { force: true });
        fs.writeFileSync(path.join(etc, 'os-release'), fixture('os-release'));
        return [...new Set(OVERRIDDEN_BINARIES.filter((p) => fs.existsSync(p)).map((p) => fs.realpathSync(p)))];
    }
    /** Client key (OpenSSH's own format, so `ssh -i` reads it); returns its public half for auth. */
    prepareClientKey() {
        const clientKeyPath = this.clientKeyPath;
        if (!fs.existsSync(clientKeyPath)) {
            (0, node_child_process_1.execFileSync)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'krsim-client', '-f', clientKeyPath]);
        }
        const parsedClientKey = ssh2_1.utils.parseKey(fs.readFileSync(`${clientKeyPath}.pub`, 'utf8'));
        if (parsedClientKey instanceof Error)
            throw parsedClientKey;
        return parsedClientKey;
    }
    // ---- per-host files ---------------------------------------------------------------------------
    initHostFiles(h, spec, kernels) {
        for (const d of [
            'boot/grub', 'etc-default', 'grub.d', 'systemd', 'var/lib/dpkg', 'var/lib/kernel-rollout-sim', 'var/cache',
            'var/tmp', 'var/log', 'run', 'tmp', 'root', 'proc',
        ])
            fs.mkdirSync(hp(h, d), { recursive: true }); // prettier-ignore
        for (const [f, text] of Object.entries(grubDScripts()))
            fs.writeFileSync(hp(h, 'grub.d', f), text, { mode: 0o755 });
        fs.writeFileSync(hp(h, 'etc-default', 'grub'), fixture('default-grub'));
        fs.writeFileSync(hp(h, 'boot', 'grub', 'grubenv'), (0, model_1.formatGrubenvBlock)([]));
        fs.writeFileSync(hp(h, 'var/lib/dpkg/lock'), '');
        fs.writeFileSync(hp(h, 'var/lib/dpkg/lock-frontend'), '');
        for (const k of kernels) {
            fs.writeFileSync(hp(h, 'boot', `vmlinuz-${k.release}`), `simulated Linux kernel image ${k.release}\n`);
            fs.writeFileSync(hp(h, 'boot', `initrd.img-${k.release}`), `simulated initramfs ${k.release}\n`);
            fs.writeFileSync(hp(h, 'boot', `config-${k.release}`), 'CONFIG_SIMULATED=y\n');
            fs.writeFileSync(hp(h, 'boot', `System.map-${k.release}`), 'ffffffff81000000 T _stext\n');
        }
        const fsUuid = spec.fsUuid ?? TESTBED_UUID;
        fs.writeFileSync(meta(h, 'fs-uuid'), `${fsUuid}\n`);
        this.writeFirmwareFiles(h, spec.firmware ?? 'bios', fsUuid);
        fs.writeFileSync(meta(h, 'kernels'), kernels.map((k) => `${k.release} ${k.version} ${k.bytes ?? 27_524_000}\n`).join(''));
        fs.writeFileSync(meta(h, 'repo'), this.repo
            .map((k) => `${k.package ?? `linux-image-${k.release}`} ${k.version} ${k.release} ${k.bytes ?? 27_524_000}\n`)
            .join(''));
        fs.writeFileSync(meta(h, 'boot-capacity'), `${this.opts.bootCapacityBytes ?? DEFAULT_BOOT_CAPACITY}\n`);
        this.applyFileFaults(h, h.faults);
        fs.writeFileSync(meta(h, 'control'), `${this.controlPort} ${h.token}\n`);
        this.writeGrubCfg(h, kernels, fsUuid);
        if (spec.bootloader === 'systemd-boot') {
            // The GRUB files above stay, stale, as on a host moved from GRUB to systemd-boot.
            const machineId = (0, node_crypto_1.createHash)('sha256').update(`${this.simId}/${h.name}`).digest('hex').slice(0, 32);
            fs.writeFileSync(meta(h, 'systemd-boot'), '');
            fs.writeFileSync(meta(h, 'machine-id'), `${machineId}\n`);
            fs.mkdirSync(hp(h, 'sys-module', ...(spec.efiPstore === false ? [] : ['efi_pstore'])), { recursive: true });
            // The testbed image's /etc/kernel/cmdline (what GRUB also gives the BIOS image).
            const options = `root=UUID=${fsUuid} ro console=tty0 console=ttyS0,115200n8`;
            (0, systemd_boot_1.initSystemdBootHost)(sdPaths(h), { machineId, releases: kernels.map((k) => k.release), options });
        }
    }
    /**
     * grub.cfg as update-grub writes it: generated once per kernel set by the real tool, then
     * the root UUID substituted (hosts cloned from one image share a UUID, as the testbed's do).
     */
    writeGrubCfg(h, kernels, fsUuid) {
        const key = kernels.map((k) => k.release).join(' ');
        let cfg = this.templateCfg.get(key);
        if (cfg === undefined) {
            fs.writeFileSync(meta(h, 'fs-uuid'), `${TESTBED_UUID}\n`);
            const r = this.runSync(h, ['update-grub']);
            if (r.status !== 0)
                throw new Error(`fleet simulator: update-grub failed on ${h.name}: ${r.stderr}`);
            cfg = fs.readFileSync(hp(h, 'boot/grub/grub.cfg'), 'utf8');
            this.templateCfg.set(key, cfg);
            fs.writeFileSync(meta(h, 'fs-uuid'), `${fsUuid}\n`);
        }
        fs.writeFileSync(hp(h, 'boot/grub/grub.cfg'), cfg.split(TESTBED_UUID).join(fsUuid));
    }
    /** The GRUB platform package dpkg lists and, on UEFI, the ESP stub grub-install writes. */
    writeFirmwareFiles(h, firmware, fsUuid) {
        const pkg = firmware === 'uefi' ? 'grub-efi-amd64' : 'grub-pc';
        fs.writeFileSync(meta(h, 'packages'), `${pkg}|2.06-13+deb12u2|install ok installed\n`);
        if (firmware !== 'uefi')
            return;
        fs.writeFileSync(meta(h, 'uefi'), '');
        fs.mkdirSync(hp(h, 'boot/efi/EFI/debian'), { recursive: true });
        const stub = `search.fs_uuid ${fsUuid} root hd0,gpt2 \nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`;
        fs.writeFileSync(hp(h, 'boot/efi/EFI/debian/grub.cfg'), stub);
    }
    /** The faults that live in the host's files: /boot's free space and the dpkg lock. */
    applyFileFaults(h, faults) {
        if (faults.bootFreeBytes !== undefined) {
            const used = fs
                .readFileSync(meta(h, 'kernels'), 'utf8')
                .split('\n')
                .reduce((n, l) => n + (Number(l.split(' ')[2]) || 0), 2_097_152);
            fs.writeFileSync(meta(h, 'boot-capacity'), `${used + faults.bootFreeBytes}\n`);
        }
        const lock = faults.dpkgLockSeconds;
        if (lock !== undefined) {
            const until = lock === 'until-reboot' ? 'forever' : String(Math.ceil(Date.now() / 1000 + lock));
            fs.writeFileSync(meta(h, 'dpkg-lock-until'), `${until}\n`);
        }
    }
    // ---- sandboxed processes ----------------------------------------------------------------------
    sandboxArgs(h, argv) {
        const { etc, tools } = this;
        fs.writeFileSync(hp(h, 'proc', 'uptime'), `${((Date.now() - h.kernelStartedAt) / 1000).toFixed(2)} 0.00\n`);
        const args = [
            '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
            '--ro-bind', etc, '/etc',
            '--bind', hp(h, 'etc-default'), '/etc/default',
            '--bind', hp(h, 'grub.d'), '/etc/grub.d',
            '--bind', hp(h, 'systemd'), '/etc/systemd/system',
            '--bind', hp(h, 'boot'), '/boot',
            '--bind', hp(h, 'var'), '/var',
            '--bind', hp(h, 'run'), '/run',
            '--bind', hp(h, 'tmp'), '/tmp',
            '--bind', hp(h, 'root'), '/root',
            '--ro-bind', hp(h, 'proc', 'boot_id'), '/proc/sys/kernel/random/boot_id',
            '--ro-bind', hp(h, 'proc', 'cmdline'), '/proc/cmdline',
            '--ro-bind', hp(h, 'proc', 'osrelease'), '/proc/sys/kernel/osrelease',
            '--ro-bind', hp(h, 'proc', 'uptime'), '/proc/uptime',
            '--ro-bind', tools, '/usr/local/sbin',
            // The worker's own firmware is not the host's: /sys/firmware/efi only on a UEFI host.
            '--tmpfs', '/sys/firmware',
            ...(fs.existsSync(meta(h, 'uefi')) ? ['--dir', '/sys/firmware/efi'] : []),
            '--unshare-uts', '--hostname', h.name,
            '--chdir', '/root',
        ]; // prettier-ignore
        for (const real of this.overridden)
            args.push('--ro-bind', path.join(tools, 'krsim'), real);
        if (h.sdboot) {
            args.push('--tmpfs', '/sys/firmware', '--bind', hp(h, 'sys-module'), '/sys/module');
            if (h.sdboot.efivarfs !== 'missing') {
                args.push(h.sdboot.efivarfs === 'ro' ? '--ro-bind' : '--bind', hp(h, 'efivars'), '/sys/firmware/efi/efivars');
            }
        }
        return [...args, '--', ...argv];
    }
    sandboxEnv(h, user, extra = {}) {
        return {
            PATH: PATH_ENV,
            HOME: '/root',
            USER: user,
            LOGNAME: user,
            SHELL: '/bin/bash',
            LANG: 'C.UTF-8',
            ...extra,
            KRSIM_HOST: `${this.simId}/${h.name}`,
        };
    }
    spawnInHost(h, argv, user, extraEnv) {
        return (0, node_child_process_1.spawn)('bwrap', this.sandboxArgs(h, argv), { env: this.sandboxEnv(h, user, extraEnv), stdio: 'pipe' });
    }
    runSync(h, argv) {
        return (0, node_child_process_1.spawnSync)('bwrap', this.sandboxArgs(h, argv), { env: this.sandboxEnv(h, 'root'), encoding: 'utf8' });
    }
    // ---- power and boot ---------------------------------------------------------------------------
    later(h, ms, fn) {
        const t = setTimeout(() => {
            h.timers.delete(t);
            if (!this.stopped)
                fn();
        }, ms);
        h.timers.add(t);
    }
    cutPower(h) {
        for (const t of h.timers)
            clearTimeout(t);
        h.timers.clear();
        for (const s of h.sockets.values())
            s.destroy();
        h.sockets.clear();
        killMarked((m) => m === `${this.simId}/${h.name}`);
        setState(h, 'down');
    }
    hostBootSeconds(h) {
        return h.faults.bootSeconds ?? this.bootSeconds;
    }
    requestPower(h, kind, delaySeconds) {
        h.rebootsRequested += kind === 'poweroff' ? 0 : 1;
        this.later(h, delaySeconds * 1000 + SHUTDOWN_MS, () => {
            this.cutPower(h);
            if (kind === 'poweroff')
                return setState(h, 'off');
            this.later(h, (kind === 'kexec' ? this.kexecSeconds : this.hostBootSeconds(h)) * 1000, () => this.powerOn(h, kind === 'kexec' ? 'kexec' : 'firmware'));
        });
    }
    powerOn(h, via) {
        let release = null;
        let cmdline = '';
        let entryId;
        let reason;
        if (via === 'kexec') {
            const loaded = fs.readFileSync(meta(h, 'kexec-loaded'), 'utf8').trim().split('\t');
            release = loaded[0] ?? null;
            cmdline = (loaded[1] ?? '').trim();
        }
        else {
            ({ release, cmdline, entryId, reason } = firmwareBootChoice(h));
        }
        fs.rmSync(meta(h, 'kexec-loaded'), { force: true });
        h.bootCount += 1;
        const record = {
            at: Date.now(),
            via,
            grubReason: reason,
            entry: entryId,
            release: release ?? '(none)',
            cmdline,
            bootId: '',
            outcome: 'hang',
        };
        h.boots.push(record);
        if (!release)
            return setState(h, 'hung'); // GRUB: "error: file not found", stays in the menu
        const outcome = (0, model_1.kernelOutcome)(h.faults.kernels?.[release], cmdline);
        if (outcome.kind === 'hang')
            return setState(h, 'hung');
        if (outcome.kind === 'panic-reboot') {
            record.outcome = 'panic';
            setState(h, 'down');
            this.later(h, (outcome.afterSeconds + this.hostBootSeconds(h)) * 1000, () => this.powerOn(h, 'firmware'));
            return;
        }
        record.outcome = outcome.kind;
        this.startUserspace(h, release, cmdline);
        record.bootId = h.bootId;
        setState(h, outcome.kind === 'no-network' ? 'no-network' : 'up');
    }
    startUserspace(h, release, cmdline) {
        h.bootId = (0, node_crypto_1.randomUUID)();
        h.release = release;
        h.cmdline = cmdline;
        h.kernelStartedAt = Date.now();
        fs.writeFileSync(hp(h, 'proc', 'boot_id'), `${h.bootId}\n`);
        fs.writeFileSync(hp(h, 'proc', 'cmdline'), `${cmdline}\n`);
        fs.writeFileSync(hp(h, 'proc', 'osrelease'), `${release}\n`);
        for (const d of ['run', 'tmp']) {
            fs.rmSync(hp(h, d), { recursive: true, force: true });
            fs.mkdirSync(hp(h, d));
        }
        fs.mkdirSync(hp(h, 'run', 'systemd', 'system'), { recursive: true });
        fs.mkdirSync(hp(h, 'run', 'lock'), { recursive: true });
        if (h.faults.dpkgLockSeconds === 'until-reboot' && h.bootCount > 1)
            fs.rmSync(meta(h, 'dpkg-lock-until'), { force: true });
        fs.appendFileSync(meta(h, 'boots'), `${h.bootCount} ${h.bootId.replace(/-/g, '')} ${new Date().toISOString()}\n`);
        if (h.bootCount > 1 && h.faults.hostKeyChangesOnReboot) {
            h.hostKey = newHostKey();
            h.ssh = this.makeSshServer(h);
        }
        if (h.sdboot) {
            const blessed = (0, systemd_boot_1.blessAtBootComplete)(sdPaths(h), (c) => (0, model_1.kernelCommandLineMatches)(c, h.cmdline));
            if (blessed)
                log(h, 'systemd', 'root', `systemd-bless-boot.service: good (${blessed})`);
        }
        this.scheduleTimers(h);
    }
    scheduleTimers(h) {
        const wants = hp(h, 'systemd', 'timers.target.wants');
        if (!fs.existsSync(wants))
            return;
        for (const name of fs.readdirSync(wants)) {
            if (!name.endsWith('.timer'))
                continue;
            const timerPath = hp(h, 'systemd', name);
            if (!fs.existsSync(timerPath))
                continue;
            const timer = (0, model_1.parseUnitFile)(fs.readFileSync(timerPath, 'utf8'));
            if (timer.onBootSec === undefined)
                continue;
            if (!timer.conditionKernelCommandLine.every((c) => (0, model_1.kernelCommandLineMatches)(c, h.cmdline)))
                continue;
            const bootId = h.bootId;
            this.later(h, timer.onBootSec * 1000, () => {
                if (h.bootId !== bootId || fs.existsSync(hp(h, 'run', 'systemd', 'sim-stopped', name)))
                    return;
                this.fireTimer(h, name);
            });
        }
    }
    /** A timer elapsed in this boot: its service runs, if its conditions hold. */
    fireTimer(h, name) {
        const serviceName = name.replace(/\.timer$/, '.service');
        const servicePath = hp(h, 'systemd', serviceName);
        if (!fs.existsSync(servicePath))
            return;
        const service = (0, model_1.parseUnitFile)(fs.readFileSync(servicePath, 'utf8'));
        if (!service.conditionKernelCommandLine.every((c) => (0, model_1.kernelCommandLineMatches)(c, h.cmdline)))
            return;
        const pathsOk = service.conditionPathExists.every((c) => c.startsWith('!') ? !fs.existsSync(viewToReal(h, c.slice(1))) : fs.existsSync(viewToReal(h, c)));
        if (!pathsOk)
            return;
        for (const line of service.execStart) {
            log(h, 'systemd', 'root', `${serviceName}: ${line}`);
            const child = this.spawnInHost(h, (0, model_1.execStartArgv)(line), 'root');
            child.stdout?.resume();
            child.stderr?.resume();
            child.on('error', () => undefined);
        }
    }
    // ---- SSH --------------------------------------------------------------------------------------
    makeSshServer(h) {
        const server = new ssh2_1.Server({ hostKeys: [h.hostKey.private], ident: SSH_IDENT }, (client, info) => {
            const sock = h.sockets.get(info.port);
            this.handleClient(h, client, sock);
        });
        server.on('error', () => undefined);
        return server;
    }
    handleClient(h, client, sock) {
        let user = 'root';
        const { clientPub, clientPubSsh } = this;
        client.on('error', () => undefined);
        client.on('authentication', (ctx) => {
            user = ctx.username;
            if (ctx.method === 'publickey' &&
                ctx.key.algo === clientPub.type &&
                Buffer.compare(ctx.key.data, clientPubSsh) === 0) {
                if (ctx.signature && ctx.blob && clientPub.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
                    return ctx.reject();
                }
                return ctx.accept();
            }
            ctx.reject(['publickey']);
        });
        client.on('ready', () => {
            client.on('session', (acceptSession) => {
                const session = acceptSession();
                const env = {};
                session.on('env', (accept, _reject, info) => {
                    if (/^[A-Z_][A-Z0-9_]*$/.test(info.key))
                        env[info.key] = info.val;
                    accept?.();
                });
                session.on('pty', (accept) => accept?.());
                session.on('window-change', (accept) => accept?.());
                session.on('signal', (accept) => accept?.());
                const run = (channel, argv, logged, source) => this.runOnChannel(h, sock, { user, env }, channel, argv, logged, source);
                session.on('exec', (accept, _reject, info) => run(accept(), ['/bin/bash', '-c', info.command], info.command, 'ssh'));
                session.on('shell', (accept) => run(accept(), ['/bin/bash', '-l'], '(shell)', 'ssh'));
                session.on('subsystem', (accept, reject, info) => {
                    if (info.name !== 'sftp')
                        return reject?.();
                    run(accept(), ['/usr/lib/openssh/sftp-server'], '(sftp)', 'sftp');
                });
            });
        });
    }
    /** One command of a session: run in the host's sandbox, its output and exit status on the channel. */
    runOnChannel(h, sock, { user, env }, channel, argv, logged, source) {
        log(h, source, user, logged);
        if (h.state !== 'up') {
            channel.exit(255);
            channel.end();
            return;
        }
        const child = this.spawnInHost(h, argv, user, env);
        channel.pipe(child.stdin);
        child.stdin.on('error', () => undefined);
        child.stdout.pipe(channel, { end: false });
        child.stderr.pipe(channel.stderr, { end: false });
        child.on('error', () => undefined);
        child.on('close', (code, signal) => {
            try {
                if (signal)
                    channel.exit(signal.replace(/^SIG/, ''), false, '');
                else
                    channel.exit(code ?? 255);
                channel.end();
            }
            catch {
                // channel gone (client closed or connection dropped)
            }
        });
        channel.on('close', () => {
            child.stdout?.unpipe();
            child.stderr?.unpipe();
        });
        const drop = h.faults.dropMidCommand;
        if (source === 'ssh' && drop && h.dropsLeft > 0 && new RegExp(drop.pattern).test(logged)) {
            h.dropsLeft -= 1;
            this.later(h, drop.afterMs ?? 500, () => sock?.destroy());
        }
    }
    // ---- control channel: the hosts' reboot/kexec/poweroff tools and the power CLI ----------------
    async listenControl() {
        const control = net.createServer((sock) => {
            let buf = '';
            sock.on('error', () => undefined);
            sock.on('data', (d) => {
                buf += d.toString('utf8');
                let nl;
                while ((nl = buf.indexOf('\n')) >= 0) {
                    const line = buf.slice(0, nl).trim();
                    buf = buf.slice(nl + 1);
                    sock.write(`${this.handleControl(line)}\n`);
                }
            });
        });
        this.control = control;
        await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
        this.controlPort = control.address().port;
        fs.writeFileSync(this.controlPath, JSON.stringify({ port: this.controlPort, token: this.adminToken }), {
            mode: 0o600,
        });
    }
    handleControl(line) {
        const [token = '', verb = '', arg = ''] = line.split(/\s+/);
        if (token === this.adminToken) {
            const h = this.hosts.get(arg);
            if (!h)
                return `error no host ${arg}`;
            if (verb === 'power-reset')
                this.powerReset(arg);
            else if (verb === 'power-off')
                this.powerOff(arg);
            else if (verb === 'state')
                return `ok ${h.state}`;
            else
                return `error unknown verb ${verb}`;
            return 'ok';
        }
        const h = this.byToken.get(token);
        if (!h)
            return 'error bad token';
        if (verb === 'reboot' || verb === 'kexec' || verb === 'poweroff') {
            this.requestPower(h, verb, Number(arg) || 0);
            return 'ok';
        }
        if (verb === 'cancel')
            return 'ok';
        return `error unknown verb ${verb}`;
    }
    // ---- create the hosts -------------------------------------------------------------------------
    async addHost(spec) {
        const name = spec.name;
        if (this.hosts.has(name))
            throw new Error(`fleet simulator: duplicate host name ${name}`);
        const faults = { ...spec.faults, ...this.opts.faults?.[name] };
        const h = newHostRuntime(name, path.join(this.root, 'hosts', name), faults);
        if (spec.bootloader === 'systemd-boot') {
            h.sdboot = { efivarfs: spec.efivarfs ?? 'rw' };
            for (const d of ['efivars', 'sys-module'])
                fs.mkdirSync(path.join(h.dir, d), { recursive: true });
        }
        h.ssh = this.makeSshServer(h);
        this.byToken.set(h.token, h);
        this.hosts.set(name, h);
        fs.mkdirSync(path.join(h.dir, 'proc'), { recursive: true });
        for (const f of ['boot_id', 'cmdline', 'osrelease', 'uptime'])
            fs.writeFileSync(path.join(h.dir, 'proc', f), '\n');
        this.initHostFiles(h, spec, spec.kernels ?? [DEFAULT_KERNEL]);
        h.listener.on('connection', (sock) => {
            sock.on('error', () => undefined);
            if (h.state !== 'up')
                return void sock.destroy();
            const port = sock.remotePort ?? 0;
            h.sockets.set(port, sock);
            sock.on('close', () => h.sockets.delete(port));
            // As OpenSSH's sshd does: without it, Nagle meets delayed ACKs and every command costs ~40 ms.
            sock.setNoDelay(true);
            h.ssh.injectSocket(sock);
        });
        h.listener.on('error', () => undefined);
        await new Promise((resolve) => h.listener.listen(0, '127.0.0.1', resolve));
        h.port = h.listener.address().port;
        fs.writeFileSync(meta(h, 'control'), `${this.controlPort} ${h.token}\n`);
        this.powerOn(h, 'firmware');
        h.boots[h.boots.length - 1].via = 'initial';
    }
    // ---- what the Simulator does ------------------------------------------------------------------
    get(name) {
        const h = this.hosts.get(name);
        if (!h)
            throw new Error(`fleet simulator: no host named ${name}`);
        return h;
    }
    sshConfig() {
        return [...this.hosts.values()]
            .map((h) => `Host ${h.name}\n  HostName 127.0.0.1\n  Port ${h.port}\n  User root\n  IdentityFile ${this.clientKeyPath}\n` +
            `  IdentitiesOnly yes\n  UserKnownHostsFile ${this.knownHostsPath}\n  StrictHostKeyChecking yes\n`)
            .join('\n');
    }
    setFaults(name, faults) {
        const h = this.get(name);
        h.faults = { ...h.faults, ...faults };
        if (faults.dropMidCommand)
            h.dropsLeft = faults.dropMidCommand.times ?? 1;
        this.applyFileFaults(h, faults);
    }
    powerReset(name) {
        const h = this.get(name);
        h.powerResets += 1;
        this.cutPower(h);
        this.later(h, this.hostBootSeconds(h) * 1000, () => this.powerOn(h, 'firmware'));
    }
    powerOff(name) {
        const h = this.get(name);
        this.cutPower(h);
        setState(h, 'off');
    }
    waitFor(name, states, timeoutMs) {
        const h = this.get(name);
        return new Promise((resolve, reject) => {
            const check = () => {
                if (!states.includes(h.state))
                    return;
                clearTimeout(timer);
                h.waiters.delete(check);
                resolve();
            };
            const timer = setTimeout(() => {
                h.waiters.delete(check);
                reject(new Error(`${name}: still ${h.state} after ${timeoutMs} ms (wanted ${states.join(' or ')})`));
            }, timeoutMs);
            h.waiters.add(check);
            check();
        });
    }
    async stop() {
        this.stopped = true;
        for (const h of this.hosts.values()) {
            for (const t of h.timers)
                clearTimeout(t);
            for (const s of h.sockets.values())
                s.destroy();
            h.listener.close();
        }
        this.control.close();
        killMarked((m) => m.startsWith(`${this.simId}/`));
        if (!this.opts.stateDir)
            fs.rmSync(this.root, { recursive: true, force: true });
    }
    simulator() {
        const hosts = this.hosts;
        return {
            get hosts() {
                return [...hosts.values()].map(info);
            },
            stateDir: this.root,
            clientKeyPath: this.clientKeyPath,
            knownHostsPath: this.knownHostsPath,
            controlPath: this.controlPath,
            host: (name) => info(this.get(name)),
            sshConfig: () => this.sshConfig(),
            inspect: (name) => inspectHost(name, this.get(name)),
            commands: (name) => [...this.get(name).commands],
            setFaults: (name, faults) => this.setFaults(name, faults),
            powerReset: (name) => this.powerReset(name),
            powerOff: (name) => this.powerOff(name),
            waitFor: (name, states, timeoutMs) => this.waitFor(name, states, timeoutMs),
            stop: () => this.stop(),
        };
    }
}
async function startSimulator(opts) {
    if (!fs.existsSync('/usr/bin/bwrap')) {
        throw new Error('fleet simulator: bubblewrap is missing; apt-get install -y bubblewrap');
    }
    const fleet = new Fleet(opts);
    await fleet.listenControl();
    for (const spec of fleet.specs)
        await fleet.addHost(spec);
    fs.writeFileSync(fleet.knownHostsPath, [...fleet.hosts.values()].map((h) => info(h).knownHostsLine + '\n').join(''));
    return fleet.simulator();
}
//# sourceMappingURL=simulator.js.map