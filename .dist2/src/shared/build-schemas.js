"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.builtDebSchema = exports.runBuildRequestSchema = exports.buildKeySchema = exports.buildKernelInputSchema = exports.buildRootSchema = exports.DEFAULT_BUILD_ROOT = exports.LOCALVERSION_RE = exports.FRAGMENT_LINE_RE = void 0;
/**
 * The input of a kernel build (the buildKernel workflow, `kernelctl build`), as zod schemas. The
 * source and config-base unions are built from the lists of their kinds in ./options/ (the modules
 * that prepare them are in src/activities/build/). Like ./schemas.ts this file never reaches the
 * workflow bundle: workflows import its types only.
 */
const zod_1 = require("zod");
const build_source_1 = require("./options/build-source");
const config_base_1 = require("./options/config-base");
const schema_fields_1 = require("./schema-fields");
const shell_1 = require("./shell");
/** A line of a config fragment: `CONFIG_X=y|m|n|number|"text"` or `# CONFIG_X is not set`. */
exports.FRAGMENT_LINE_RE = /^(CONFIG_[A-Z0-9_]{1,100}=(y|m|n|-?[0-9]{1,20}|0x[0-9a-fA-F]{1,16}|"[A-Za-z0-9 ._,:/+=@-]{0,200}")|# CONFIG_[A-Z0-9_]{1,100} is not set)$/;
/** Appended to the release: lower case, as Debian package names are (linux-image-<release>). */
exports.LOCALVERSION_RE = /^-[a-z0-9][a-z0-9.+-]{0,30}$/;
/** Never a build root: system directories a build must not write into. */
const SYSTEM_DIRS = /^\/(bin|boot|dev|etc|lib|lib32|lib64|proc|run|sbin|sys|usr)(\/|$)/;
exports.DEFAULT_BUILD_ROOT = '/var/cache/kernel-rollout/builds';
exports.buildRootSchema = schema_fields_1.safePathSchema
    .refine((p) => !SYSTEM_DIRS.test(p), 'must not be in a system directory (/etc, /usr, /boot, …)')
    .refine((p) => p.split('/').filter(Boolean).length >= 2, 'must be at least two levels deep, e.g. /srv/kernel-builds');
exports.buildKernelInputSchema = zod_1.z
    .object({
    buildHost: schema_fields_1.sshTargetSchema.describe('The Debian host that compiles (workers never do)'),
    source: zod_1.z.discriminatedUnion('kind', build_source_1.buildSourceSchemas).describe('Where the kernel source is'),
    config: zod_1.z.discriminatedUnion('kind', config_base_1.configBaseSchemas).describe('Where the .config starts'),
    fragments: zod_1.z
        .array(zod_1.z.string().regex(exports.FRAGMENT_LINE_RE, 'must be CONFIG_X=y|m|n|<number>|"<text>" or "# CONFIG_X is not set"'))
        .max(1000)
        .default([])
        .describe('Config lines applied after the base, before make olddefconfig'),
    localVersion: zod_1.z
        .string()
        .regex(exports.LOCALVERSION_RE, 'must start with - and hold only a-z 0-9 . + - (at most 32 characters)')
        .optional()
        .describe('LOCALVERSION; default -kr<first 8 hex digits of the build key>'),
    jobs: zod_1.z.number().int().min(1).max(256).optional().describe('make -j; default the build host’s nproc'),
    buildRoot: exports.buildRootSchema.default(exports.DEFAULT_BUILD_ROOT).describe('Where builds live on the build host'),
    rebuild: zod_1.z
        .literal(true)
        .optional()
        .describe('Start make again for a key whose build failed (without it, the earlier failure is the answer)'),
})
    .strict();
exports.buildKeySchema = zod_1.z.string().regex(/^[0-9a-f]{16}$/, 'must be a build key (16 hex digits)');
exports.runBuildRequestSchema = zod_1.z
    .object({
    buildHost: schema_fields_1.sshTargetSchema,
    buildRoot: exports.buildRootSchema,
    key: exports.buildKeySchema,
    release: zod_1.z.string().regex(shell_1.KERNEL_RELEASE_RE, 'must be a kernel release'),
})
    .strict();
/** A built kernel package on the build host: what an install fetches (sha256 checked end to end). */
exports.builtDebSchema = zod_1.z
    .object({ path: schema_fields_1.safePathSchema.regex(/\.deb$/, 'must end in .deb'), sha256: schema_fields_1.sha256Schema, bytes: zod_1.z.number().int() })
    .strict();
//# sourceMappingURL=build-schemas.js.map