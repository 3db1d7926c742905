"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rehearseKernel = exports.buildKernel = exports.rolloutKernel = exports.planHostKernel = exports.upgradeHostKernel = void 0;
/**
 * Workflows: every durable decision of kernel-rollout, deterministic (no I/O, clocks or randomness
 * outside Temporal's APIs; an ESLint rule keeps activities, zod schemas, the CLI and the worker
 * out). The worker bundles this file: one workflow per module beside it (upgradeHostKernel,
 * planHostKernel, rolloutKernel, buildKernel, rehearseKernel), the larger two with their steps in
 * upgrade-host/ and rollout/; their messages and types are defined once (definitions.ts,
 * rollout-definitions.ts).
 */
var upgrade_host_1 = require("./upgrade-host");
Object.defineProperty(exports, "upgradeHostKernel", { enumerable: true, get: function () { return upgrade_host_1.upgradeHostKernel; } });
var plan_host_1 = require("./plan-host");
Object.defineProperty(exports, "planHostKernel", { enumerable: true, get: function () { return plan_host_1.planHostKernel; } });
var rollout_1 = require("./rollout");
Object.defineProperty(exports, "rolloutKernel", { enumerable: true, get: function () { return rollout_1.rolloutKernel; } });
var build_kernel_1 = require("./build-kernel");
Object.defineProperty(exports, "buildKernel", { enumerable: true, get: function () { return build_kernel_1.buildKernel; } });
var rehearse_kernel_1 = require("./rehearse-kernel");
Object.defineProperty(exports, "rehearseKernel", { enumerable: true, get: function () { return rehearse_kernel_1.rehearseKernel; } });
//# sourceMappingURL=index.js.map