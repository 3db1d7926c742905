export { upgradeHostKernel } from './upgrade-host';
