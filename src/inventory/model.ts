/** The inventory's public shapes, and the intermediate one every format is read into. */
import type { PowerConfig, SshTargetInput } from '../shared/types';
import type { InventoryProblem, Origin } from './errors';
import type { HopSpec } from './ssh-config';

export type InventoryFormat = 'native' | 'ansible-ini' | 'ansible-yaml';

export interface InventoryHost {
  /** Inventory name: the workflow id is `kernel-upgrade/<name>`. */
  name: string;
  /** Every group the host belongs to, directly or through a parent group (never `all`). */
  groups: string[];
  target: SshTargetInput;
  power?: PowerConfig;
  /** Line of the host's definition in the inventory file. */
  line: number;
}

export interface Inventory {
  file: string;
  format: InventoryFormat;
  /** In file order. */
  hosts: InventoryHost[];
  /** Group name → host names (members of child groups included), in inventory order. */
  groups: Record<string, string[]>;
  /** Things worth knowing that did not stop loading (e.g. skipped ssh_config Match blocks). */
  warnings: InventoryProblem[];
}

/** Lowest-precedence connection values, below the inventory and ~/.ssh/config. */
export type InventoryDefaults = Partial<
  Pick<SshTargetInput, 'user' | 'port' | 'privateKeyPath' | 'knownHostsPath' | 'agentSocket'>
>;

export interface LoadInventoryOptions {
  /** ssh_config to honour; default ~/.ssh/config when it exists; null: none. */
  sshConfigPath?: string | null;
  defaults?: InventoryDefaults;
  /** For `~` and `%d` (default: os.homedir()). */
  homeDir?: string;
  /** For `%u` (default: os.userInfo().username). */
  localUser?: string;
}

export interface Sourced<T> {
  value: T;
  origin: Origin;
}

export type ProxySetting =
  | { kind: 'none'; origin: Origin }
  | { kind: 'jump'; hops: HopSpec[]; origin: Origin }
  | { kind: 'command'; origin: Origin };

/** Connection values written in the inventory itself, each with where it was written. */
export interface ExplicitSettings {
  address?: Sourced<string>;
  port?: Sourced<number>;
  user?: Sourced<string>;
  /** Paths are already absolute (`~` and relative paths expanded by the format's reader). */
  privateKeyPath?: Sourced<string>;
  agentSocket?: Sourced<string>;
  knownHostsPath?: Sourced<string>;
  hostKeySha256?: Sourced<string>;
  trustOnFirstUse?: Sourced<boolean>;
  proxy?: ProxySetting;
}

/** One host as a format reader hands it over, before ssh_config and defaults are applied. */
export interface RawHost {
  name: string;
  /** The file that defines the host (one of several for an inventory folder). */
  file?: string;
  line: number;
  groups: string[];
  settings: ExplicitSettings;
  power?: Sourced<unknown>;
  /** The name ~/.ssh/config's `Host` lines are matched against (see resolve.ts). */
  sshConfigKey: string;
}

export interface RawInventory {
  file: string;
  format: InventoryFormat;
  hosts: RawHost[];
  /** Group → host names, members of child groups included, in inventory order. */
  groups: Record<string, string[]>;
  warnings: InventoryProblem[];
}
