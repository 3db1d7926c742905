"use strict";
/**
 * The one shape of a driver registry, used by every seam (bootloader, package manager, installer,
 * power, health check, build source, build config). A seam is a small interface that extends
 * `Driver<Kind>`, one file per driver exporting one module object of that interface (its `kind`
 * literal, its zod option schema where the operator configures it, its implementation), and one
 * line per driver in the seam's `defineRegistry([...])`. The kind union and, where drivers have
 * schemas, the schema union are inferred from that list: no cast anywhere
 * (test/unit/registries.test.ts checks it).
 *
 * Generic and import-free, so src/shared depends on nothing above it and the workflow sandbox
 * could load it (it does not: registries live with the activities).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.defineRegistry = defineRegistry;
/** A registry over `drivers`, one line each; a kind listed twice is refused when it is defined. */
function defineRegistry(drivers) {
    const kinds = drivers.map((d) => d.kind);
    const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
    if (twice !== undefined)
        throw new Error(`registry: kind ${twice} is listed twice (${kinds.join(', ')})`);
    return { drivers, kinds, find: (kind) => drivers.find((d) => d.kind === kind) };
}
//# sourceMappingURL=registry.js.map