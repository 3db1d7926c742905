/**
 * Workflows: every durable decision of kernel-rollout, deterministic (no I/O, clocks or randomness
 * outside Temporal's APIs; an ESLint rule keeps activities, zod schemas, the CLI and the worker
 * out). The worker bundles this file: one workflow per module beside it (upgradeHostKernel,
 * planHostKernel, rolloutKernel, buildKernel, rehearseKernel), the larger two with their steps in
 * upgrade-host/ and rollout/; their messages and types are defined once (definitions.ts,
 * rollout-definitions.ts).
 */
export { upgradeHostKernel } from './upgrade-host';
export { planHostKernel } from './plan-host';
export { rolloutKernel } from './rollout';
export { buildKernel } from './build-kernel';
export { rehearseKernel } from './rehearse-kernel';
