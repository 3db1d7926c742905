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
import { configBaseKinds, type BuildConfigBase } from '../../../shared/options/config-base';
import * as file from './file';
import * as localmodconfig from './localmodconfig';
import * as makeTarget from './make-target';
import * as running from './running';
import type { ConfigContext, ConfigBaseResult, ConfigBase, ConfigBaseModule } from './config-base-interface';

export type { ConfigContext, ConfigBaseResult, ConfigBase, ConfigBaseModule };

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
