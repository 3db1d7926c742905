/**
 * Preflight reads every fact in one SSH round trip: a fixed script prints sections between
 * markers, and `parseFactsOutput` turns them into HostFacts. The judgement (what is unsafe,
 * what stage will fix) is `assessFacts`, a pure function tested on fixtures from a real host.
 */
import type { GrubFacts, HostFacts, InstallSource } from '../shared/types';
import { KERNEL_RELEASE_RE } from '../shared/shell';
import {
  entryForRelease,
  parseDefaultGrub,
  parseGrubCfg,
  parseGrubenv,
  GRUBENV_PATH,
  GRUB_CFG_PATH,
} from './bootloader/grub-debian';

const MARK = '@@kernel-rollout@@';

/** One section of a multi-command SSH round trip: a marker line, then the command's output. */
export function sectionCommand(name: string, cmd: string): string {
  return `echo '${MARK} ${name}'; { ${cmd}; } 2>/dev/null`;
}

/** Runs as root. Every section is printed even when its command fails (empty then). */
export function factsScript(): string {
  const sections: [string, string][] = [
    ['os-release', 'cat /etc/os-release'],
    ['uname-r', 'uname -r'],
    ['boot-id', 'cat /proc/sys/kernel/random/boot_id'],
    ['cmdline', 'cat /proc/cmdline'],
    ['kernels', "dpkg-query -W -f='${Package} ${Status}\\n' 'linux-image-*'"],
    ['vmlinuz', 'ls -1 /boot'],
    ['boot-free', 'df -B1 --output=avail /boot | tail -n 1'],
    ['findmnt', 'findmnt -n -o SOURCE,FSTYPE -T /boot/grub'],
    ['lsblk-types', 'lsblk -n -s -o TYPE "$(findmnt -n -o SOURCE -T /boot/grub)"'],
    ['default-grub', 'cat /etc/default/grub; for f in /etc/default/grub.d/*.cfg; do [ -r "$f" ] && cat "$f"; done'],
    ['grubenv', `grub-editenv ${GRUBENV_PATH} list`],
    ['grub-cfg', `cat ${GRUB_CFG_PATH}`],
    ['dpkg-lock', 'lslocks -n -o PATH 2>/dev/null | grep -c "^/var/lib/dpkg/lock"'],
    ['kexec', 'command -v kexec'],
    ['systemd', '[ -d /run/systemd/system ] && echo yes'],
  ];
  return sections
    .map(([name, cmd]) => sectionCommand(name, cmd))
    .concat([`echo '${MARK} end'`])
    .join('\n');
}

export function splitSections(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name: string | null = null;
  let buf: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      if (name) out[name] = buf.join('\n').trim();
      name = line.slice(MARK.length + 1).trim();
      buf = [];
    } else {
      buf.push(line);
    }
  }
  if (name && name !== 'end') out[name] = buf.join('\n').trim();
  return out;
}

export function parseOsRelease(text: string): Record<string, string> {
  // Same shell-assignment syntax as /etc/default/grub.
  return parseDefaultGrub(text);
}

/** Kernel releases with a `linux-image-<release>` package in state "install ok installed". */
export function parseInstalledKernels(dpkgOutput: string): string[] {
  const releases: string[] = [];
  for (const line of dpkgOutput.split('\n')) {
    const m = /^linux-image-(\d\S*)\s+install ok installed$/.exec(line.trim());
    // Host-controlled text: only what looks like a kernel release is kept (and later printed).
    if (m?.[1] && !m[1].endsWith('-dbg') && KERNEL_RELEASE_RE.test(m[1])) releases.push(m[1]);
  }
  return releases;
}

/** Why GRUB cannot write grubenv at boot on this storage, or null. */
export function grubenvWritability(findmnt: string, blockTypes: string): string | null {
  const [source = '', fstype = ''] = findmnt.trim().split(/\s+/);
  const types = blockTypes.split(/\s+/).filter(Boolean);
  if (fstype === 'btrfs' || fstype === 'zfs') return `/boot/grub is on ${fstype}`;
  if (types.includes('crypt')) return '/boot/grub is on an encrypted device';
  if (types.includes('lvm') || source.startsWith('/dev/mapper/')) return '/boot/grub is on LVM or device-mapper';
  if (types.some((t) => /^raid/.test(t)) || /^\/dev\/md/.test(source)) return '/boot/grub is on md-raid';
  return null;
}

/** Space the install needs in /boot: image + initramfs, with room to spare. */
export const BOOT_SPACE_NEEDED_BYTES = 120 * 1024 * 1024;

export function parseFacts(
  host: string,
  sections: Record<string, string>,
): Omit<HostFacts, 'refusals' | 'fixes' | 'warnings'> {
  const os = parseOsRelease(sections['os-release'] ?? '');
  const defaults = parseDefaultGrub(sections['default-grub'] ?? '');
  const env = parseGrubenv(sections['grubenv'] ?? '');
  const entries = parseGrubCfg(sections['grub-cfg'] ?? '');
  const installed = parseInstalledKernels(sections['kernels'] ?? '');
  const timeout = defaults['GRUB_TIMEOUT'];
  const grub: GrubFacts = {
    grubDefault: defaults['GRUB_DEFAULT'] ?? null,
    grubSaveDefault: defaults['GRUB_SAVEDEFAULT'] === 'true',
    grubTimeout: timeout !== undefined && /^-?\d+$/.test(timeout) ? Number(timeout) : null,
    savedEntry: env['saved_entry'] || null,
    nextEntry: env['next_entry'] || null,
    envNotWritableReason: grubenvWritability(sections['findmnt'] ?? '', sections['lsblk-types'] ?? ''),
    entries: entries
      .filter((e) => e.release && !e.recovery && e.id.includes('>'))
      .map((e) => ({ release: e.release as string, id: e.id, title: e.title })),
  };
  return {
    host,
    distroId: os['ID'] ?? 'unknown',
    distroVersion: os['VERSION_ID'] ?? '',
    runningKernel: (sections['uname-r'] ?? '').trim(),
    bootId: (sections['boot-id'] ?? '').trim(),
    kernelCmdline: (sections['cmdline'] ?? '').trim(),
    installedKernels: installed,
    bootFreeBytes: Number((sections['boot-free'] ?? '').trim()) || 0,
    dpkgLocked: Number((sections['dpkg-lock'] ?? '0').trim()) > 0,
    kexecAvailable: (sections['kexec'] ?? '').trim().length > 0,
    systemd: (sections['systemd'] ?? '').trim() === 'yes',
    grub,
  };
}

/** What would happen, what is refused and what stage fixes. Messages say what to do. */
export function assessFacts(
  base: Omit<HostFacts, 'refusals' | 'fixes' | 'warnings'>,
  req: { toRelease: string; source: InstallSource; useKexec: boolean },
  grubCfgText?: string,
): HostFacts {
  const refusals: string[] = [];
  const fixes: string[] = [];
  const warnings: string[] = [];
  const h = base.host;
  const os = `${base.distroId}`;
  if (!['debian', 'ubuntu'].includes(os)) {
    refusals.push(`${h}: ${os} is not supported (Debian and Ubuntu with GRUB 2 are)`);
  }
  if (!base.systemd) refusals.push(`${h}: systemd is not running; the revert timer needs it`);
  if (!/^[0-9a-f-]{36}$/.test(base.bootId)) refusals.push(`${h}: could not read /proc/sys/kernel/random/boot_id`);
  if (base.grub.entries.length === 0) {
    refusals.push(
      `${h}: no GRUB 2 menu entries found in /boot/grub/grub.cfg; is grub-pc or grub-efi installed and update-grub run?`,
    );
  } else if (base.runningKernel !== req.toRelease) {
    const entries = grubCfgText ? parseGrubCfg(grubCfgText) : null;
    const known = entries
      ? entryForRelease(entries, base.runningKernel)
      : base.grub.entries.find((e) => e.release === base.runningKernel);
    if (!known) {
      refusals.push(
        `${h}: the running kernel ${base.runningKernel} has no GRUB entry to keep as the known-good default; run update-grub or reboot into an installed kernel first`,
      );
    }
  }
  if (base.grub.envNotWritableReason && !req.useKexec) {
    refusals.push(
      `${h}: ${base.grub.envNotWritableReason}: GRUB cannot clear its one-shot entry there, so a panicking kernel would boot again and again; move /boot to a plain ext4/xfs partition, or use --kexec (the trial is loaded by kexec and GRUB only reads the saved default)`,
    );
  }
  if (req.useKexec && !base.kexecAvailable) {
    refusals.push(`${h}: kexec is not installed; apt-get install kexec-tools, or drop --kexec`);
  }
  const alreadyInstalled = base.installedKernels.includes(req.toRelease);
  if (!alreadyInstalled && base.bootFreeBytes < BOOT_SPACE_NEEDED_BYTES) {
    refusals.push(
      `${h}: /boot has ${Math.floor(base.bootFreeBytes / 1048576)} MiB free, the kernel needs ~${BOOT_SPACE_NEEDED_BYTES / 1048576} MiB; remove old kernels (apt-get autoremove --purge)`,
    );
  }
  if (base.grub.grubDefault !== 'saved') {
    fixes.push(
      `GRUB_DEFAULT=${base.grub.grubDefault ?? '(unset)'} becomes saved (backup: /etc/default/grub.kernel-rollout.bak)`,
    );
  }
  if (base.grub.grubSaveDefault)
    fixes.push('GRUB_SAVEDEFAULT=true becomes false (it would save the trial as the default)');
  if (base.grub.nextEntry)
    warnings.push(`a one-shot entry is already set (next_entry=${base.grub.nextEntry}); stage replaces it`);
  if (base.dpkgLocked) warnings.push('the dpkg lock is held by another process; install waits for it');
  if (base.runningKernel === req.toRelease) warnings.push(`already running ${req.toRelease}: verify and commit only`);
  return { ...base, refusals, fixes, warnings };
}
