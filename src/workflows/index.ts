export { upgradeHostKernel } from './upgrade-host';
export { planHostKernel } from './plan-host';
export { rolloutKernel } from './rollout';
export { buildKernel } from './build-kernel';
export { rehearseKernel } from './rehearse-kernel';
