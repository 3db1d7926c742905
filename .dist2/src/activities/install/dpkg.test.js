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
 * The dpkg seam: its preflight parsers on output captured from Debian 12. Against a real shell
 * (OpenSSH's sshd on loopback, real dpkg): dpkg.ssh.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const dpkg_1 = require("./dpkg");
function fixture(name) {
    const text = (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12', name), 'utf8');
    return text.startsWith('# captured from') ? text.slice(text.indexOf('\n') + 1) : text;
}
(0, node_test_1.describe)('dpkg: preflight output (Debian 12 fixtures)', () => {
    const dpkg = (0, dpkg_1.createDpkg)();
    (0, node_test_1.test)('installed kernels from dpkg-query, not-installed rows ignored', () => {
        const rows = fixture('dpkg-kernels-two-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2');
        strict_1.default.deepEqual((0, dpkg_1.parseInstalledKernels)(rows).sort(), ['6.1.0-55-cloud-amd64', '6.1.0-56-cloud-amd64']);
    });
    (0, node_test_1.test)('Debian and Ubuntu are its distributions; another is refused by name', () => {
        strict_1.default.equal(dpkg.distroRefusal({ id: 'debian', idLike: [] }), null);
        strict_1.default.equal(dpkg.distroRefusal({ id: 'ubuntu', idLike: ['debian'] }), null);
        strict_1.default.equal(dpkg.distroRefusal({ id: 'rocky', idLike: ['rhel', 'centos', 'fedora'] }), 'rocky is not supported (Debian and Ubuntu with GRUB 2 are)');
    });
    (0, node_test_1.test)('a kernel’s image and initramfs where Debian’s packages put them (kexec loads them)', () => {
        strict_1.default.deepEqual(dpkg.kernelImagePaths('6.1.0-56-cloud-amd64'), {
            kernel: '/boot/vmlinuz-6.1.0-56-cloud-amd64',
            initrd: '/boot/initrd.img-6.1.0-56-cloud-amd64',
        });
    });
    (0, node_test_1.test)('the lock section counts holders of the dpkg lock', () => {
        strict_1.default.equal(dpkg.parseLocked('1\n'), true);
        strict_1.default.equal(dpkg.parseLocked('0'), false);
        strict_1.default.equal(dpkg.parseLocked(''), false);
    });
});
//# sourceMappingURL=dpkg.test.js.map