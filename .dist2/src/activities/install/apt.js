"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.aptInstaller = void 0;
exports.create = create;
/**
 * Installer: a kernel package from the host's apt sources (`linux-image-…`, optionally
 * `=version`). The package lists are refreshed only when apt knows no candidate for it.
 */
const shell_1 = require("../../shared/shell");
const install_source_1 = require("../../shared/options/install-source");
const host_1 = require("../host");
const dpkg_1 = require("./dpkg");
const kind = 'apt';
/** The package name without its `=version`. */
const packageOf = (source) => source.packageName.split('=')[0] ?? '';
function create(opts = {}) {
    const packageManager = opts.packageManager ?? dpkg_1.dpkg;
    return {
        packageManager,
        packageName: packageOf,
        // apt's package names the kernel; which build apt had is not recorded.
        recordOf: () => kind,
        isInstalledFrom: () => true,
        install: (s, source) => s.exec(`export DEBIAN_FRONTEND=noninteractive; ` +
            `apt-cache policy ${(0, shell_1.shellQuote)(packageOf(source))} | grep -q 'Candidate: [0-9]' || apt-get update -q; ` +
            `dpkg --configure -a; apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends ${(0, shell_1.shellQuote)(source.packageName)}`, { ...host_1.sudo, timeoutMs: 80 * 60_000 }),
    };
}
/** The registry's entry (./installer.ts). */
exports.aptInstaller = { kind, schema: install_source_1.aptSourceSchema, create };
//# sourceMappingURL=apt.js.map