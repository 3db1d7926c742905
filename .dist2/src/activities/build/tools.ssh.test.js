"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The build host's tools probed over SSH on a real sshd: a missing command, file or package is
 * refused with the command and the package that provides it.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const sshd_1 = require("../../../testbed/sshd");
const session_1 = require("../session");
const tools_1 = require("./tools");
(0, node_test_1.describe)('checkRequirements on a real host over SSH', () => {
    let sshd;
    const withHost = (0, session_1.hostAccess)(session_1.realDeps);
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
    });
    (0, node_test_1.test)('a missing command, file and package are refused together; present ones pass', async () => {
        const reqs = [
            { kind: 'command', name: 'sh', package: 'dash' },
            { kind: 'command', name: 'kr-no-such-pahole', package: 'kr-dwarves', why: 'CONFIG_DEBUG_INFO_BTF=y' },
            { kind: 'file', name: '/nonexistent/libelf.h', package: 'kr-libelf-dev' },
            { kind: 'package', name: 'dpkg', package: 'dpkg' },
            { kind: 'package', name: 'kr-not-installed', package: 'kr-not-installed' },
        ];
        await strict_1.default.rejects(withHost((0, sshd_1.sshdTarget)(sshd, 'build-host'), (b) => (0, tools_1.checkRequirements)(b, reqs)), (err) => (err.type ?? err.name) === 'BuildHostNotReadyError' &&
            err.message.startsWith('the build host lacks kr-no-such-pahole (CONFIG_DEBUG_INFO_BTF=y), /nonexistent/libelf.h, kr-not-installed; ' +
                'install them there: apt-get install kr-dwarves kr-libelf-dev kr-not-installed'));
        await withHost((0, sshd_1.sshdTarget)(sshd, 'build-host'), (b) => (0, tools_1.checkRequirements)(b, reqs.filter((r) => !r.name.includes('kr-') && !r.name.startsWith('/nonexistent'))));
    });
});
//# sourceMappingURL=tools.ssh.test.js.map