/**
 * What a kernel build needs on the build host, and the check that refuses a host lacking it
 * before anything compiles. Two rounds: what every `make bindeb-pkg` needs (checked first, before
 * the source is touched), and what the effective .config asks for (checked once it is known: a
 * Debian config has CONFIG_DEBUG_INFO_BTF=y, whose final link runs `pahole`).
 *
 * `make bindeb-pkg` of 6.1 runs `dpkg-buildpackage` under `fakeroot`, which checks the generated
 * debian/control's Build-Depends as installed *packages* (dpkg-checkbuilddeps, build-essential
 * implied): bc, rsync, kmod, cpio, bison, flex, libelf-dev, libssl-dev. So those are checked as
 * packages; the rest as commands (a pahole in /usr/local serves as well as Debian's).
 */
import { shellQuote } from '../../shared/shell';
import type { HostSession } from '../host';
import { BuildHostNotReadyError } from './errors';

export interface Requirement {
  /** A command on PATH (or /usr/sbin, /sbin), a file, or an installed Debian package. */
  kind: 'command' | 'file' | 'package';
  name: string;
  /** The Debian package that provides it. */
  package: string;
  /** Why it is needed, for the refusal: "CONFIG_DEBUG_INFO_BTF=y". */
  why?: string;
}

const cmd = (name: string, pkg: string, why?: string): Requirement => ({
  kind: 'command',
  name,
  package: pkg,
  ...(why ? { why } : {}),
});
const pkg = (name: string, why: string): Requirement => ({ kind: 'package', name, package: name, why });

/** What every build needs, whatever its config. */
export const BASE_REQUIREMENTS: readonly Requirement[] = [
  cmd('make', 'make'),
  cmd('gcc', 'gcc'),
  cmd('ld', 'binutils'),
  cmd('perl', 'perl'),
  cmd('flex', 'flex'),
  cmd('bison', 'bison'),
  cmd('bc', 'bc'),
  cmd('xz', 'xz-utils'),
  cmd('cpio', 'cpio'),
  cmd('depmod', 'kmod'),
  cmd('rsync', 'rsync'),
  cmd('flock', 'util-linux'),
  cmd('setsid', 'util-linux'),
  cmd('dpkg-deb', 'dpkg'),
  cmd('dpkg-buildpackage', 'dpkg-dev', 'make bindeb-pkg'),
  cmd('fakeroot', 'fakeroot', 'make bindeb-pkg runs dpkg-buildpackage under fakeroot'),
  { kind: 'file', name: '/usr/include/libelf.h', package: 'libelf-dev' },
  { kind: 'file', name: '/usr/include/openssl/opensslv.h', package: 'libssl-dev' },
  // dpkg-buildpackage checks the Build-Depends kbuild writes (scripts/package/mkdebian) as packages.
  ...['build-essential', 'bc', 'rsync', 'kmod', 'cpio', 'bison', 'flex', 'libelf-dev', 'libssl-dev'].map((p) =>
    pkg(p, 'a Build-Depends of the debian/control that make bindeb-pkg writes'),
  ),
];

/**
 * Tools the effective config asks for: `CONFIG_X=y` (or =m), or `CONFIG_X=<value>` when `value`
 * is given, → the command and its package. Found missing on a fresh Debian 12 minbase build host
 * (test/e2e/source-build-lmc.test.ts): python3, which generates libbpf's bpf_helper_defs.h
 * (scripts/bpf_doc.py) for resolve_btfids, the BTF tool, and openssl, which generates the module
 * signing key when the config names kbuild's default one.
 */
export const CONFIG_REQUIREMENTS: readonly { option: string; value?: string; need: Requirement }[] = [
  { option: 'DEBUG_INFO_BTF', need: cmd('pahole', 'dwarves') },
  { option: 'DEBUG_INFO_BTF', need: cmd('python3', 'python3') },
  { option: 'MODULE_SIG_KEY', value: '"certs/signing_key.pem"', need: cmd('openssl', 'openssl') },
  { option: 'KERNEL_ZSTD', need: cmd('zstd', 'zstd') },
  { option: 'MODULE_COMPRESS_ZSTD', need: cmd('zstd', 'zstd') },
  { option: 'KERNEL_XZ', need: cmd('xz', 'xz-utils') },
  { option: 'MODULE_COMPRESS_XZ', need: cmd('xz', 'xz-utils') },
  { option: 'KERNEL_LZ4', need: cmd('lz4', 'lz4') },
  { option: 'KERNEL_LZO', need: cmd('lzop', 'lzop') },
  { option: 'KERNEL_BZIP2', need: cmd('bzip2', 'bzip2') },
  { option: 'KERNEL_LZMA', need: cmd('xz', 'xz-utils') },
];

/** The requirements of an effective .config beyond BASE_REQUIREMENTS. */
export function configRequirements(effectiveConfig: string): Requirement[] {
  const values = new Map<string, string>();
  for (const line of effectiveConfig.split('\n')) {
    const m = /^CONFIG_([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) values.set(m[1] as string, m[2] as string);
  }
  const seen = new Set<string>();
  const out: Requirement[] = [];
  for (const { option, value, need } of CONFIG_REQUIREMENTS) {
    const v = values.get(option);
    if (v === undefined || (value === undefined ? v !== 'y' && v !== 'm' : v !== value)) continue;
    if (seen.has(need.name)) continue;
    seen.add(need.name);
    out.push({ ...need, why: `CONFIG_${option}=${v}` });
  }
  return out;
}

/** One shell command printing the name of each requirement that is missing, one per line. */
export function probeCommand(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      const n = shellQuote(r.name);
      if (r.kind === 'command')
        return `{ command -v ${n} >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v ${n} >/dev/null || echo ${n}; }`;
      if (r.kind === 'file') return `{ [ -f ${n} ] || echo ${n}; }`;
      return `{ dpkg-query -W -f '\${Status}\\n' ${n} 2>/dev/null | grep -q '^install ok installed$' || echo ${n}; }`;
    })
    .join('; ');
}

/** The refusal for what the probe printed, or undefined when nothing is missing. */
export function missingMessage(reqs: readonly Requirement[], probeOutput: string): string | undefined {
  const missing = new Set(
    probeOutput
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  const lacking = reqs.filter((r) => missing.has(r.name));
  if (lacking.length === 0) return undefined;
  const names = [...new Set(lacking.map((r) => (r.why ? `${r.name} (${r.why})` : r.name)))];
  const pkgs = [...new Set(lacking.map((r) => r.package))];
  return (
    `the build host lacks ${names.join(', ')}; install ${pkgs.length === 1 ? 'it' : 'them'} there: ` +
    `apt-get install ${pkgs.join(' ')} (scripts/setup-build-host.sh installs everything a build needs)`
  );
}

/** Refuses (BuildHostNotReadyError) a build host that lacks one of `reqs`. */
export async function checkRequirements(b: HostSession, reqs: readonly Requirement[]): Promise<void> {
  if (reqs.length === 0) return;
  const why = missingMessage(reqs, await b.run(probeCommand(reqs)));
  if (why) throw new BuildHostNotReadyError(why);
}
