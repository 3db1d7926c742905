"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The testbed's platforms (testbed/vm.ts): which platform an image directory is (image.json),
 * which firmware arguments a UEFI VM gets, and that an unknown platform is refused before the
 * builder runs. No VM is booted here; the booting is the builder's self-test and the e2e suite.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const vm_1 = require("../../testbed/vm");
const tmp = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'testbed-platform-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true }));
/** An image directory as build-image.sh leaves it, with `imageJson` as its image.json (none if undefined). */
function imageDir(imageJson) {
    const dir = (0, node_fs_1.mkdtempSync)(path.join(tmp, 'img-'));
    const deb = path.join(dir, 'linux-image-new.deb');
    for (const f of ['base.qcow2', 'id_ed25519', 'linux-image-new.deb'])
        (0, node_fs_1.writeFileSync)(path.join(dir, f), '');
    (0, node_fs_1.writeFileSync)(path.join(dir, 'ssh_host_ed25519_key.pub'), 'ssh-ed25519 AAAAC3Nza root@testbed\n');
    (0, node_fs_1.writeFileSync)(path.join(dir, 'kernels.json'), JSON.stringify({ old: '6.1.0-56-cloud-amd64', new: '6.1.0-57-cloud-amd64', newDeb: deb, newDebSha256: 'ab' }));
    if (imageJson)
        (0, node_fs_1.writeFileSync)(path.join(dir, 'image.json'), JSON.stringify(imageJson));
    return dir;
}
(0, node_test_1.test)('the platform comes from image.json; a build from before the platforms is bios-grub', () => {
    for (const platform of vm_1.TESTBED_PLATFORMS) {
        strict_1.default.equal((0, vm_1.loadImage)(imageDir({ builderHash: 'x', platform })).platform, platform);
    }
    strict_1.default.equal((0, vm_1.loadImage)(imageDir({ builderHash: 'x' })).platform, 'bios-grub');
    strict_1.default.equal((0, vm_1.loadImage)(imageDir(undefined)).platform, 'bios-grub');
    strict_1.default.throws(() => (0, vm_1.loadImage)(imageDir({ platform: 'uefi' })), /unknown platform "uefi"/);
});
(0, node_test_1.test)('a UEFI VM maps OVMF CODE read-only and its own VARS copy writable', () => {
    const args = (0, vm_1.ovmfArgs)('/tmp/krvm-a/OVMF_VARS.fd');
    strict_1.default.deepEqual(args, [
        '-drive',
        `if=pflash,format=raw,unit=0,readonly=on,file=${vm_1.OVMF_CODE}`,
        '-drive',
        'if=pflash,format=raw,unit=1,file=/tmp/krvm-a/OVMF_VARS.fd',
    ]);
    strict_1.default.match(vm_1.OVMF_CODE, /OVMF_CODE_4M\.fd$/, 'the non-secure-boot 4 MiB firmware');
});
(0, node_test_1.test)('an unknown platform is refused before the builder runs', () => {
    strict_1.default.throws(() => (0, vm_1.ensureImage)({ platform: 'uefi' }), /unknown platform "uefi"/);
});
//# sourceMappingURL=testbed-platform.test.js.map