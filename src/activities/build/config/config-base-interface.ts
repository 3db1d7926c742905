/** What a config base is and what its module exports (./config-base.ts holds the registry). */
import type { z } from 'zod';
import type { Driver } from '../../../shared/registry';
import type { configBaseSchemas } from '../../../shared/options/config-base';
import type { SshTargetInput } from '../../../shared/types';
import type { HostSession } from '../../host';

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

/** The schema of one kind of config base (src/shared/options/config-base.ts). */
export type ConfigBaseSchema = (typeof configBaseSchemas)[number];

/** What a driver module exports: one object, its `kind` the literal of its schema's `kind`. */
export interface ConfigBaseModule<Schema extends ConfigBaseSchema = ConfigBaseSchema> extends Driver<
  z.output<Schema>['kind']
> {
  readonly schema: Schema;
  describe(config: z.output<Schema>): string;
  create(): ConfigBase<z.output<Schema>>;
}
