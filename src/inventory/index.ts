/**
 * Inventories: which hosts a rollout may touch and how to reach each of them. Three formats —
 * kernel-rollout's native YAML (native.ts), Ansible INI and Ansible YAML (ansible.ts) — are read
 * into one shape, ~/.ssh/config and the caller's defaults fill what the inventory leaves open
 * (resolve.ts), and every host leaves as an SshTargetInput checked by sshTargetSchema (and its
 * PowerConfig by powerConfigSchema), or loading fails with file:line:field for each problem.
 *
 *   const inv = await loadInventory('fleet.ini');
 *   const hosts = selectHosts(inv, 'web:&prod:!web-03');
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isScalar } from 'yaml';
import { InventoryError, ProblemList } from './errors';
import { AnsibleModel, finishAnsible, parseAnsibleIni, parseAnsibleYaml } from './ansible';
import { inventoryFolderFiles, loadAnsibleVarsFiles } from './ansible-vars';
import type { Inventory, InventoryFormat, LoadInventoryOptions, RawInventory } from './model';
import { readNativeInventory } from './native';
import { resolveHosts } from './resolve';
import { loadSshConfig, NO_SSH_CONFIG, type SshConfig } from './ssh-config';
import { parseYamlSource, type YamlSource } from './yaml-lines';

export type { Inventory, InventoryDefaults, InventoryFormat, InventoryHost, LoadInventoryOptions } from './model';
export { InventoryError, formatProblem, type InventoryProblem } from './errors';
export { selectHosts, LimitPatternError } from './limit';
export { expandHostRange } from './ansible';
export { loadSshConfig, type SshConfig } from './ssh-config';

/** The top-level key that marks a native inventory (its value is the format version, 1). */
export const NATIVE_MARKER = 'kernelRollout';

export async function loadInventory(file: string, options: LoadInventoryOptions = {}): Promise<Inventory> {
  const home = options.homeDir ?? os.homedir();
  const localUser = options.localUser ?? safeUserName();
  const cannotRead = (e: unknown) =>
    new InventoryError([
      {
        file,
        line: 0,
        field: '',
        message: `cannot read the inventory (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      },
    ]);
  const st = await fsp.stat(file).catch((e: unknown) => {
    throw cannotRead(e);
  });
  const sshConfig = await openSshConfig(options.sshConfigPath, home);
  const problems = new ProblemList();
  let raw: Omit<RawInventory, 'warnings'>;
  if (st.isDirectory()) {
    raw = await readAnsibleFolder(file, problems, home);
  } else {
    const text = await fsp.readFile(file, 'utf8').catch((e: unknown) => {
      throw cannotRead(e);
    });
    const read = readAnyFormat(file, text, problems, { inFolder: false, home });
    if ('hosts' in read) raw = read;
    else raw = await finishWithVarsFiles(file, path.dirname(path.resolve(file)), read, problems, home);
  }
  const warnings = [...sshConfig.warnings];
  const hosts = resolveHosts(file, raw.hosts, {
    sshConfig,
    defaults: options.defaults ?? {},
    home,
    localUser,
    problems,
    warnings,
  });
  problems.throwIfAny();
  return { file, format: raw.format, hosts, groups: raw.groups, warnings };
}

async function openSshConfig(configured: string | null | undefined, home: string): Promise<SshConfig> {
  if (configured === null) return NO_SSH_CONFIG;
  const file = configured ?? path.join(home, '.ssh', 'config');
  try {
    await fsp.access(file);
  } catch {
    if (configured === undefined) return NO_SSH_CONFIG;
    throw new InventoryError([{ file, line: 0, field: '', message: 'cannot read this ssh config file' }]);
  }
  return loadSshConfig(file, { home });
}

/** Adds group_vars/ and host_vars/ under `varsDir` and merges every host's variables. */
async function finishWithVarsFiles(
  file: string,
  varsDir: string,
  model: AnsibleModel,
  problems: ProblemList,
  home: string,
): Promise<Omit<RawInventory, 'warnings'>> {
  problems.throwIfAny();
  const varsFiles = await loadAnsibleVarsFiles(varsDir, model.groups.keys(), model.hostOrder, problems);
  problems.throwIfAny();
  return finishAnsible(file, model, problems, { home, baseDir: varsDir, varsFiles });
}

/**
 * An inventory folder, as Ansible reads one: every file in it (see inventoryFolderFiles) is an
 * Ansible INI or YAML inventory, merged in order, then group_vars/ and host_vars/ inside it.
 */
async function readAnsibleFolder(
  dir: string,
  problems: ProblemList,
  home: string,
): Promise<Omit<RawInventory, 'warnings'>> {
  const files = await inventoryFolderFiles(dir);
  if (files.length === 0) {
    problems.add({ file: dir, line: 0, field: '' }, 'this inventory folder holds no inventory file');
    problems.throwIfAny();
  }
  const model = new AnsibleModel();
  for (const f of files) {
    const text = await fsp.readFile(f, 'utf8');
    if (text.startsWith('#!')) {
      problems.add(
        { file: f, line: 1, field: '' },
        'an inventory script (Ansible runs it); kernel-rollout does not run scripts: give its output as a YAML or INI file',
      );
      continue;
    }
    const read = readAnyFormat(f, text, problems, { inFolder: true, home, model });
    if ('hosts' in read) {
      problems.add(
        { file: f, line: 1, field: '' },
        `a kernel-rollout native inventory cannot be part of an inventory folder (the folder is read as Ansible reads it); give the file itself`,
      );
    }
  }
  return finishWithVarsFiles(dir, path.resolve(dir), model, problems, home);
}

/**
 * One inventory file: a native inventory is read whole; an Ansible one is read into `model` (a
 * new one unless given) and returned for its variables to be merged. In an inventory folder, a
 * file whose extension is not YAML's is read as INI, as Ansible's ini plugin would.
 */
function readAnyFormat(
  file: string,
  text: string,
  problems: ProblemList,
  opts: { inFolder: boolean; home: string; model?: AnsibleModel },
): Omit<RawInventory, 'warnings'> | AnsibleModel {
  const model = opts.model ?? new AnsibleModel();
  const ext = path.extname(file).toLowerCase();
  const yamlExt = ['.yaml', '.yml', '.json'].includes(ext);
  const iniExt = ['.ini', '.cfg', ''].includes(ext);
  const looksIni = looksLikeIni(text);
  if (!yamlExt && (looksIni || ext === '.ini' || ext === '.cfg' || (opts.inFolder && ext !== ''))) {
    if (!looksIni && !opts.inFolder) {
      problems.add(
        { file, line: 0, field: '' },
        `a ${ext} inventory must be Ansible INI ([group] sections and host lines)`,
      );
      problems.throwIfAny();
    }
    parseAnsibleIni(file, text, model, problems);
    return model;
  }
  if (!yamlExt && !iniExt) {
    problems.add(
      { file, line: 0, field: '' },
      `cannot tell the inventory format from the extension ${JSON.stringify(ext)}: use .yaml/.yml (native or Ansible YAML) or .ini/.cfg (Ansible INI)`,
    );
    problems.throwIfAny();
  }
  const errorsBefore = problems.problems.length;
  const src = parseYamlSource(file, text, problems);
  if (problems.problems.length > errorsBefore) return model;
  const format = detectYamlFormat(src, problems);
  if (problems.problems.length > errorsBefore) return model;
  if (format === 'native') {
    if (opts.inFolder) return { file, format, hosts: [], groups: {} };
    problems.throwIfAny();
    return readNativeInventory(src, problems, { home: opts.home });
  }
  // Ansible reads YAML 1.1 (PyYAML): merge keys, 0x/octal/underscore numbers, yes/no.
  const ansibleSrc = parseYamlSource(file, text, problems, { version: '1.1' });
  if (problems.problems.length > errorsBefore) return model;
  parseAnsibleYaml(ansibleSrc, model, problems);
  return model;
}

/** INI when the first meaningful line is a `[section]` or a host line that is not YAML. */
function looksLikeIni(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (/^\[[^\]]+\]\s*([#;].*)?$/.test(line)) return true;
    if (line === '---' || /^[^\s:#]+:(\s|$)/.test(line) || line.startsWith('{')) return false;
    return true;
  }
  return false;
}

function detectYamlFormat(src: YamlSource, problems: ProblemList): InventoryFormat {
  const root = src.doc.contents;
  const at = { file: src.file, line: 1, field: '' };
  if (!isMap(root)) {
    problems.add(at, `an inventory is a YAML mapping: \`${NATIVE_MARKER}: 1\` with hosts: (native) or all: (Ansible)`);
    return 'native';
  }
  const keys = root.items.map((i) => (isScalar(i.key) ? String(i.key.value) : ''));
  const native = keys.includes(NATIVE_MARKER);
  const ansible =
    keys.includes('all') ||
    root.items.some(
      (i) =>
        isMap(i.value) &&
        i.value.items.length > 0 &&
        i.value.items.every((j) => isScalar(j.key) && ['hosts', 'children', 'vars'].includes(String(j.key.value))),
    );
  if (native && keys.includes('all')) {
    problems.add(
      at,
      `ambiguous inventory: it has both \`${NATIVE_MARKER}:\` (native format) and \`all:\` (Ansible format); keep one`,
    );
  } else if (!native && !ansible) {
    problems.add(
      at,
      `unknown inventory format: add \`${NATIVE_MARKER}: 1\` at the top for kernel-rollout's format, or use Ansible's \`all: {hosts: …, children: …}\``,
    );
  }
  return native ? 'native' : 'ansible-yaml';
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
