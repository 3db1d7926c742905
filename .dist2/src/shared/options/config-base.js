"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.configBaseKinds = exports.configBaseSchemas = exports.runningConfigSchema = exports.makeTargetConfigSchema = exports.localmodconfigConfigSchema = exports.fileConfigSchema = exports.TREE_FRAGMENTS = exports.TARGETS = void 0;
/**
 * Where a kernel build's .config starts: one zod schema per kind of base. The bases themselves are
 * in src/activities/build/config/ (one module per kind, each taking its `schema` from here, and
 * the registry in config-base.ts); a unit test checks that the registry has one module per schema
 * here, in the same order. This file depends on src/shared only.
 */
const zod_1 = require("zod");
const schema_fields_1 = require("../schema-fields");
/** kbuild's own configuration targets a `make` base may name. */
exports.TARGETS = ['tinyconfig', 'defconfig', 'allnoconfig'];
/** Fragments that ship in arch/x86/configs and kernel/configs, usable after a target. */
exports.TREE_FRAGMENTS = ['kvm_guest.config', 'xen.config', 'debug.config', 'nopm.config'];
exports.fileConfigSchema = zod_1.z
    .object({ kind: zod_1.z.literal('file'), path: schema_fields_1.safePathSchema })
    .strict()
    .describe('A .config file on the build host');
exports.localmodconfigConfigSchema = zod_1.z
    .object({ kind: zod_1.z.literal('localmodconfig'), target: schema_fields_1.sshTargetSchema })
    .strict()
    .describe("A target host's running config, with only the modules it has loaded (make localmodconfig)");
exports.makeTargetConfigSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('make'),
    target: zod_1.z.enum(exports.TARGETS),
    treeFragments: zod_1.z.array(zod_1.z.enum(exports.TREE_FRAGMENTS)).max(exports.TREE_FRAGMENTS.length).default([]),
})
    .strict()
    .describe('A kbuild configuration target (tinyconfig, defconfig, allnoconfig), then the tree’s own fragments');
exports.runningConfigSchema = zod_1.z
    .object({ kind: zod_1.z.literal('running'), target: schema_fields_1.sshTargetSchema })
    .strict()
    .describe("A target host's /boot/config-$(uname -r), brought up to date with olddefconfig");
/** The options of the build's config union (src/shared/build-schemas.ts), in the registry's order. */
exports.configBaseSchemas = [exports.runningConfigSchema, exports.localmodconfigConfigSchema, exports.fileConfigSchema, exports.makeTargetConfigSchema];
exports.configBaseKinds = exports.configBaseSchemas.map((s) => s.shape.kind.value);
//# sourceMappingURL=config-base.js.map