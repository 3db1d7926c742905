/**
 * Where a kernel build's .config starts: one zod schema per kind of base. The bases themselves are
 * in src/activities/build/config/ (one module per kind, each taking its `schema` from here, and
 * the registry in config-base.ts); a unit test checks that the registry has one module per schema
 * here, in the same order. This file depends on src/shared only.
 */
import { z } from 'zod';
import { safePathSchema, sshTargetSchema } from '../schema-fields';

/** kbuild's own configuration targets a `make` base may name. */
export const TARGETS = ['tinyconfig', 'defconfig', 'allnoconfig'] as const;
/** Fragments that ship in arch/x86/configs and kernel/configs, usable after a target. */
export const TREE_FRAGMENTS = ['kvm_guest.config', 'xen.config', 'debug.config', 'nopm.config'] as const;

export const fileConfigSchema = z
  .object({ kind: z.literal('file'), path: safePathSchema })
  .strict()
  .describe('A .config file on the build host');

export const localmodconfigConfigSchema = z
  .object({ kind: z.literal('localmodconfig'), target: sshTargetSchema })
  .strict()
  .describe("A target host's running config, with only the modules it has loaded (make localmodconfig)");

export const makeTargetConfigSchema = z
  .object({
    kind: z.literal('make'),
    target: z.enum(TARGETS),
    treeFragments: z.array(z.enum(TREE_FRAGMENTS)).max(TREE_FRAGMENTS.length).default([]),
  })
  .strict()
  .describe('A kbuild configuration target (tinyconfig, defconfig, allnoconfig), then the tree’s own fragments');

export const runningConfigSchema = z
  .object({ kind: z.literal('running'), target: sshTargetSchema })
  .strict()
  .describe("A target host's /boot/config-$(uname -r), brought up to date with olddefconfig");

/** The options of the build's config union (src/shared/build-schemas.ts), in the registry's order. */
export const configBaseSchemas: [
  typeof runningConfigSchema,
  typeof localmodconfigConfigSchema,
  typeof fileConfigSchema,
  typeof makeTargetConfigSchema,
] = [runningConfigSchema, localmodconfigConfigSchema, fileConfigSchema, makeTargetConfigSchema];

export const configBaseKinds: readonly string[] = configBaseSchemas.map((s) => s.shape.kind.value);

export type BuildConfigBase = z.infer<(typeof configBaseSchemas)[number]>;
