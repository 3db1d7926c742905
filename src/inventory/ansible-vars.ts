/**
 * Ansible inventories as a folder, and the group_vars/ and host_vars/ folders beside an
 * inventory, read as ansible-core reads them:
 * - a folder given as the inventory (InventoryManager.parse_source): its entries in byte order,
 *   subfolders recursively, skipping hidden names, `group_vars`, `host_vars`, `vars_plugins` and
 *   the names ending in one of INVENTORY_IGNORE_EXTS (`.pyc .pyo .swp .bak ~ .rpm .md .txt .rst
 *   .orig .cfg .retry`). Every file is an inventory source, merged in that order.
 * - group_vars/<group> and host_vars/<host> (the host_group_vars vars plugin, beside the
 *   inventory file, or inside the inventory folder): the first of `<name>`, `<name>.yml`,
 *   `<name>.yaml`, `<name>.json` that exists; when that is a folder, its files with no extension
 *   or one of those, in order, subfolders without an extension recursively, skipping hidden
 *   names and names ending in `~`. Each file is a YAML (or JSON) mapping; later files replace
 *   earlier ones' variables.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isMap } from 'yaml';
import type { Origin, ProblemList } from './errors';
import type { AnsibleVarsFiles, VarMap } from './ansible';
import { lineOfPath, parseYamlSource, yamlToJs } from './yaml-lines';

const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];

/** The inventory sources in an inventory folder, in the order Ansible reads them. */
export async function inventoryFolderFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = (await fsp.readdir(dir)).sort(byteOrder);
  for (const name of names) {
    if (IGNORED_NAMES.test(name) || IGNORED_EXTS.some((e) => name.endsWith(e))) continue;
    const full = path.join(dir, name);
    const st = await fsp.stat(full).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) out.push(...(await inventoryFolderFiles(full)));
    else if (st.isFile()) out.push(full);
  }
  return out;
}

/** Python's sorted() of byte strings (UTF-8 order). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const VARS_EXTS = ['', '.yml', '.yaml', '.json'];

/**
 * Reads the group_vars/ and host_vars/ files under `baseDir` for the given groups and hosts.
 * Problems (YAML errors, a file that is not a mapping, an ansible-vault file) are collected.
 */
export async function loadAnsibleVarsFiles(
  baseDir: string,
  groups: Iterable<string>,
  hosts: Iterable<string>,
  problems: ProblemList,
): Promise<AnsibleVarsFiles> {
  const group = await loadKind(path.join(baseDir, 'group_vars'), groups, problems);
  const host = await loadKind(path.join(baseDir, 'host_vars'), hosts, problems);
  return { group: (n) => group.get(n), host: (n) => host.get(n) };
}

async function loadKind(dir: string, names: Iterable<string>, problems: ProblemList): Promise<Map<string, VarMap>> {
  const out = new Map<string, VarMap>();
  let listing: Set<string>;
  try {
    listing = new Set(await fsp.readdir(dir));
  } catch {
    return out; // no such folder (or not a folder: Ansible skips it with a warning)
  }
  for (const name of names) {
    if (name.startsWith('/')) continue;
    let files: string[] = [];
    for (const ext of VARS_EXTS) {
      if (!listing.has(name + ext)) continue;
      const full = path.join(dir, name + ext);
      const st = await fsp.stat(full).catch(() => undefined);
      if (!st) continue;
      files = st.isDirectory() ? await dirVarsFiles(full) : [full];
      break;
    }
    if (files.length === 0) continue;
    const vars: VarMap = new Map();
    for (const f of files) for (const [k, v] of await readVarsFile(f, problems)) vars.set(k, v);
    out.set(name, vars);
  }
  return out;
}

async function dirVarsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await fsp.readdir(dir)).sort(byteOrder)) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = path.join(dir, name);
    const ext = path.extname(name);
    const st = await fsp.stat(full).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory() && ext === '') out.push(...(await dirVarsFiles(full)));
    else if (st.isFile() && VARS_EXTS.includes(ext)) out.push(full);
  }
  return out;
}

async function readVarsFile(file: string, problems: ProblemList): Promise<VarMap> {
  const out: VarMap = new Map();
  const at = (line: number, field = ''): Origin => ({ file, line, field });
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    problems.add(at(0), `cannot read this vars file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return out;
  }
  if (text.startsWith('$ANSIBLE_VAULT')) {
    problems.add(
      at(1),
      'this vars file is encrypted with ansible-vault, which kernel-rollout does not read; keep the connection variables in a plain file',
    );
    return out;
  }
  const src = parseYamlSource(file, text, problems, { version: '1.1' });
  if (src.doc.errors.length > 0) return out;
  const root = src.doc.contents;
  if (root === null) return out;
  if (!isMap(root)) {
    problems.add(at(1), 'a vars file must be a mapping of variable names to values');
    return out;
  }
  const js = yamlToJs(src, problems) as Record<string, unknown> | null;
  for (const [k, v] of Object.entries(js ?? {})) out.set(k, { value: v, origin: at(lineOfPath(src, [k], true), k) });
  return out;
}
