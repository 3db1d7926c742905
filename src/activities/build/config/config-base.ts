/**
 * Where a build's .config starts: a target host's running config (./running.ts), that config cut
 * down to the modules the target has loaded (./localmodconfig.ts), a file on the build host
 * (./file.ts), or one of kbuild's own targets such as tinyconfig (./make-target.ts). Fragments and
 * `make olddefconfig` follow whatever the base was (../prepare.ts). Each module exports `kind`,
 * `schema` (defined in src/shared/options/config-base.ts, which the union in
 * src/shared/build-schemas.ts is built from), `describe` and `create`. A new base is its schema
 * there, one file here and one line below (test/unit/driver-options.test.ts checks that the lists
 * agree).
 */
import type { z } from 'zod';
import { configBaseKinds, type BuildConfigBase } from '../../../shared/options/config-base';
import type { SshTargetInput } from '../../../shared/types';
import type { HostSession } from '../../host';
import * as file from './file';
import * as localmodconfig from './localmodconfig';
import * as makeTarget from './make-target';
import * as running from './running';

export interface ConfigContext {
  /** The build host. */
  build: HostSession;
  /** Opens a session to another host (a target whose config is read), closed by the caller. */
  withHost<T>(target: SshTargetInput, fn: (s: HostSession) => Promise<T>): Promise<T>;
  /** `make -C <tree> O=<obj>`, quoted, without a target. */
  make: string;
  /** The output directory; the base goes to `<obj>/.config`. */
  obj: string;
}

export interface ConfigBaseResult {
  /** One line for the build's record, e.g. "web1's /boot/config-6.1.0-41-amd64". */
  from: string;
  /** Releases the base's host runs: the build's release must differ from them. */
  runningReleases: string[];
}

export interface ConfigBase<C extends { kind: string }> {
  write(ctx: ConfigContext, config: C): Promise<ConfigBaseResult>;
  /**
   * A quick look, changing nothing, that the base can be read (kernelctl build asks before it
   * starts the workflow; `ctx.withHost` opens the config's host): why not, or undefined.
   */
  precheck(ctx: Pick<ConfigContext, 'build' | 'withHost'>, config: C): Promise<string | undefined>;
}

export interface ConfigBaseModule<C extends { kind: string }> {
  readonly kind: C['kind'];
  readonly schema: z.ZodType<C>;
  describe(config: C): string;
  create(): ConfigBase<C>;
}

/** The registry: one line per kind of base. */
const BASES = [running, localmodconfig, file, makeTarget] as const;

export type { BuildConfigBase };

/** The kinds of the registry, in its order (the list of schemas in src/shared/options must match). */
export const configModuleKinds: readonly string[] = BASES.map((m) => m.kind);

function moduleFor(config: BuildConfigBase): ConfigBaseModule<BuildConfigBase> {
  const found = BASES.find((m) => m.kind === config.kind);
  if (!found) throw new Error(`config.kind: ${config.kind} must be one of ${configBaseKinds.join(', ')}`);
  return found as unknown as ConfigBaseModule<BuildConfigBase>;
}

export const configBaseFor = (config: BuildConfigBase): ConfigBase<BuildConfigBase> => moduleFor(config).create();
export const describeConfigBase = (config: BuildConfigBase): string => moduleFor(config).describe(config);
