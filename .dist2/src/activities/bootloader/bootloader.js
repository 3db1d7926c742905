"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BootloaderChangedError = exports.bootloaders = void 0;
exports.bootloaderFor = bootloaderFor;
exports.bootloaderOnHost = bootloaderOnHost;
exports.readWithBootloaderSections = readWithBootloaderSections;
exports.assertBootloaderOnHost = assertBootloaderOnHost;
exports.bootloaderKinds = bootloaderKinds;
exports.bootloaderFactSections = bootloaderFactSections;
exports.bootloaderStepSections = bootloaderStepSections;
exports.detectBootloader = detectBootloader;
exports.noBootloaderRefusal = noBootloaderRefusal;
const host_1 = require("../host");
const sections_1 = require("../sections");
const schemas_1 = require("../../shared/schemas");
const registry_1 = require("../../shared/registry");
const grub_debian_1 = require("./grub-debian");
const systemd_boot_1 = require("./systemd-boot");
/**
 * Every bootloader kernel-rollout drives, in detection order: the first whose `readFacts` claims a
 * host drives it. The order rule, so that detection cannot misread a host:
 *  - a driver claims a host only on evidence that its loader is the one in use, never on a
 *    configuration file alone (GRUB: a generated grub.cfg with menu entries, not
 *    /etc/default/grub, which a host booted by another loader may keep; systemd-boot: the
 *    LoaderInfo EFI variable the loader that booted this boot set, naming systemd-boot, and
 *    entries on the ESP);
 *  - a driver whose evidence another loader can leave behind comes after that loader's driver
 *    (a host moved from GRUB to systemd-boot keeps a stale /etc/default/grub and grub.cfg, which
 *    GRUB's driver would read as its own: systemd-boot goes first, GRUB last). GRUB never leaves
 *    LoaderInfo naming systemd-boot behind (the variable is volatile, set at each boot by the
 *    loader that ran), so a host GRUB booted is not claimed by systemd-boot.
 */
exports.bootloaders = (0, registry_1.defineRegistry)([systemd_boot_1.systemdBoot, grub_debian_1.grubDebian]);
/**
 * The driver a request names. There is no default: a request without a kind is refused, naming
 * the field, so a step can never drive a host through a bootloader preflight did not find. (Runs
 * recorded before requests named it are given `grub-debian` by the workflow, explicitly.)
 */
function bootloaderFor(kind, field = 'bootloader') {
    if (kind === undefined || kind === '') {
        throw new schemas_1.InvalidInputError(`${field}: missing; the request must name the bootloader preflight found (${bootloaderKinds()})`);
    }
    const driver = exports.bootloaders.find(kind);
    if (!driver) {
        throw new schemas_1.InvalidInputError(`${field}: ${kind} is not a bootloader kernel-rollout drives (${bootloaderKinds()})`);
    }
    return driver;
}
/**
 * The host does not show the bootloader preflight found (it was replaced, removed or its menu
 * emptied since): the step refuses before changing anything; a retry cannot fix it.
 */
class BootloaderChangedError extends Error {
    name = 'BootloaderChangedError';
}
exports.BootloaderChangedError = BootloaderChangedError;
/**
 * Confirms that `driver` still drives the host by running the same detection as preflight (every
 * driver's fact sections, in order), in one round trip together with the step's own read-only
 * `sections`; resolves to those sections' output. Throws BootloaderChangedError otherwise.
 */
async function bootloaderOnHost(s, driver, host, sections = []) {
    const out = await readWithBootloaderSections(s, sections);
    assertBootloaderOnHost(out, driver, host);
    return out;
}
/** The read of bootloaderOnHost: `sections` and every driver's step sections, in one round trip, not yet checked. */
async function readWithBootloaderSections(s, sections = []) {
    const script = (0, sections_1.sectionsScript)([...sections, ...bootloaderStepSections()]);
    return (0, sections_1.splitSections)(await s.run(script, { ...host_1.sudo, timeoutMs: 60_000 }));
}
/** The check of bootloaderOnHost on what readWithBootloaderSections read: BootloaderChangedError unless `driver` drives the host. */
function assertBootloaderOnHost(out, driver, host) {
    const found = detectBootloader(out);
    if (found?.driver.kind !== driver.kind) {
        throw new BootloaderChangedError(`${host}: preflight found the ${driver.kind} bootloader, the host now shows ${found ? found.driver.kind : 'none kernel-rollout drives'}; refusing to change its boot configuration (nothing was changed by this step): check the host's bootloader and its default entry`);
    }
}
function bootloaderKinds() {
    return exports.bootloaders.kinds.join(', ');
}
/** Every driver's fact sections, each name once. */
function bootloaderFactSections() {
    return onceEach(exports.bootloaders.drivers.flatMap((d) => d.factSections));
}
/** Every driver's step sections (what a step after preflight reads), each name once. */
function bootloaderStepSections() {
    return onceEach(exports.bootloaders.drivers.flatMap((d) => d.stepSections));
}
function onceEach(sections) {
    const seen = new Set();
    return sections.filter(([name]) => !seen.has(name) && !!seen.add(name));
}
/** The first driver that manages the host, with its facts; null when none does. */
function detectBootloader(sections) {
    for (const driver of exports.bootloaders.drivers) {
        const facts = driver.readFacts(sections);
        if (facts)
            return { driver, facts };
    }
    return null;
}
/** Why a host no driver manages is refused (host name not included). */
function noBootloaderRefusal() {
    const [only, ...more] = exports.bootloaders.drivers;
    if (only && more.length === 0)
        return only.notFoundHint;
    return `no bootloader kernel-rollout drives was found: ${exports.bootloaders.drivers.map((d) => `${d.kind}: ${d.notFoundHint}`).join('; ')}`;
}
//# sourceMappingURL=bootloader.js.map