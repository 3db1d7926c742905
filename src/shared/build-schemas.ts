/**
 * The input of a kernel build (the buildKernel workflow, `kernelctl build`), as zod schemas. The
 * source and config-base unions are built from the lists of their kinds in ./options/ (the modules
 * that prepare them are in src/activities/build/). Like ./schemas.ts this file never reaches the
 * workflow bundle: workflows import its types only.
 */
import { z } from 'zod';
import { buildSourceSchemas } from './options/build-source';
import { configBaseSchemas } from './options/config-base';
import { safePathSchema, sha256Schema, sshTargetSchema } from './schema-fields';
import { KERNEL_RELEASE_RE } from './shell';

/** A line of a config fragment: `CONFIG_X=y|m|n|number|"text"` or `# CONFIG_X is not set`. */
export const FRAGMENT_LINE_RE =
  /^(CONFIG_[A-Z0-9_]{1,100}=(y|m|n|-?[0-9]{1,20}|0x[0-9a-fA-F]{1,16}|"[A-Za-z0-9 ._,:/+=@-]{0,200}")|# CONFIG_[A-Z0-9_]{1,100} is not set)$/;

/** Appended to the release: lower case, as Debian package names are (linux-image-<release>). */
export const LOCALVERSION_RE = /^-[a-z0-9][a-z0-9.+-]{0,30}$/;

/** Never a build root: system directories a build must not write into. */
const SYSTEM_DIRS = /^\/(bin|boot|dev|etc|lib|lib32|lib64|proc|run|sbin|sys|usr)(\/|$)/;

export const DEFAULT_BUILD_ROOT = '/var/cache/kernel-rollout/builds';

export const buildRootSchema = safePathSchema
  .refine((p) => !SYSTEM_DIRS.test(p), 'must not be in a system directory (/etc, /usr, /boot, …)')
  .refine((p) => p.split('/').filter(Boolean).length >= 2, 'must be at least two levels deep, e.g. /srv/kernel-builds');

export const buildKernelInputSchema = z
  .object({
    buildHost: sshTargetSchema.describe('The Debian host that compiles (workers never do)'),
    source: z.discriminatedUnion('kind', buildSourceSchemas).describe('Where the kernel source is'),
    config: z.discriminatedUnion('kind', configBaseSchemas).describe('Where the .config starts'),
    fragments: z
      .array(z.string().regex(FRAGMENT_LINE_RE, 'must be CONFIG_X=y|m|n|<number>|"<text>" or "# CONFIG_X is not set"'))
      .max(1000)
      .default([])
      .describe('Config lines applied after the base, before make olddefconfig'),
    localVersion: z
      .string()
      .regex(LOCALVERSION_RE, 'must start with - and hold only a-z 0-9 . + - (at most 32 characters)')
      .optional()
      .describe('LOCALVERSION; default -kr<first 8 hex digits of the build key>'),
    jobs: z.number().int().min(1).max(256).optional().describe('make -j; default the build host’s nproc'),
    buildRoot: buildRootSchema.default(DEFAULT_BUILD_ROOT).describe('Where builds live on the build host'),
    rebuild: z
      .literal(true)
      .optional()
      .describe('Start make again for a key whose build failed (without it, the earlier failure is the answer)'),
  })
  .strict();

export type BuildKernelInput = z.input<typeof buildKernelInputSchema>;
export type BuildKernelSpec = z.output<typeof buildKernelInputSchema>;

export const buildKeySchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be a build key (16 hex digits)');

export const runBuildRequestSchema = z
  .object({
    buildHost: sshTargetSchema,
    buildRoot: buildRootSchema,
    key: buildKeySchema,
    release: z.string().regex(KERNEL_RELEASE_RE, 'must be a kernel release'),
  })
  .strict();

export type RunBuildRequest = z.input<typeof runBuildRequestSchema>;

/** A built kernel package on the build host: what an install fetches (sha256 checked end to end). */
export const builtDebSchema = z
  .object({ path: safePathSchema.regex(/\.deb$/, 'must end in .deb'), sha256: sha256Schema, bytes: z.number().int() })
  .strict();
