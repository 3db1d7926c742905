"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The package-manager registry: a request's package manager by name, never a default. */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const schemas_1 = require("../../shared/schemas");
const package_manager_1 = require("./package-manager");
(0, node_test_1.describe)('package-manager registry', () => {
    (0, node_test_1.test)('a request names its package manager; without one it is refused naming the field, not defaulted', () => {
        strict_1.default.equal((0, package_manager_1.packageManagerFor)('dpkg').kind, 'dpkg');
        for (const missing of [undefined, '']) {
            strict_1.default.throws(() => (0, package_manager_1.packageManagerFor)(missing), (err) => err instanceof schemas_1.InvalidInputError &&
                /^packageManager: missing; the request must name the package manager preflight used \(dpkg\)$/.test(err.message));
        }
    });
    (0, node_test_1.test)('an unknown one is refused naming the field and the ones there are', () => {
        strict_1.default.throws(() => (0, package_manager_1.packageManagerFor)('rpm'), (err) => err instanceof schemas_1.InvalidInputError &&
            err.message === 'packageManager: rpm is not a package manager kernel-rollout drives (dpkg)');
    });
});
//# sourceMappingURL=package-manager.test.js.map