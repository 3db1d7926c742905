/**
 * Where a build's .config starts: a target host's running config (./running.ts), that config cut
 * down to the modules the target has loaded (./localmodconfig.ts), a file on the build host
 * (./file.ts), or one of kbuild's own targets such as tinyconfig (./make-target.ts). Fragments and
 * `make olddefconfig` follow whatever the base was (../prepare.ts). Each driver file exports one
 * `ConfigBaseModule` (./config-base-interface.ts): `kind`, `schema` (defined in
 * src/shared/options/config-base.ts, which the union in src/shared/build-schemas.ts is built
 * from), `describe` and `create`. A new base is its schema there, one file and its test here and
 * one line below (test/unit/driver-options.test.ts checks that the lists agree,
 * test/unit/registries.test.ts that the registry keeps the one idiom of src/shared/registry.ts).
 */
import { configBaseKinds, type BuildConfigBase } from '../../../shared/options/config-base';
import { defineRegistry } from '../../../shared/registry';
import { fileBase } from './file';
import { localmodconfigBase } from './localmodconfig';
import { makeTargetBase } from './make-target';
import { runningBase } from './running';
import type { ConfigContext, ConfigBaseResult, ConfigBase, ConfigBaseModule } from './config-base-interface';

export type { ConfigContext, ConfigBaseResult, ConfigBase, ConfigBaseModule };

/** The registry: one line per kind of base. */
export const configBases = defineRegistry([runningBase, localmodconfigBase, fileBase, makeTargetBase]);

export type { BuildConfigBase };

function moduleFor(config: BuildConfigBase): ConfigBaseModule {
  const found: ConfigBaseModule | undefined = configBases.find(config.kind);
  if (!found) throw new Error(`config.kind: ${config.kind} must be one of ${configBaseKinds.join(', ')}`);
  return found;
}

export const configBaseFor = (config: BuildConfigBase): ConfigBase<BuildConfigBase> => moduleFor(config).create();
export const describeConfigBase = (config: BuildConfigBase): string => moduleFor(config).describe(config);
