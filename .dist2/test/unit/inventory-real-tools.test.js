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
 * One regression test per difference from Ansible and OpenSSH found with real inventories (the
 * expected values are what ansible-core 2.19 and `ssh -G` do, as test/differential checks on the
 * same fixtures): silently different values, refusals of what the tools accept, hostile files,
 * and settings that would weaken host-key checking.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const inventory_1 = require("../../src/inventory");
const shell_1 = require("../../src/shared/shell");
const differential = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'inventories', 'differential');
const tmp = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'inventory-real-tools-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true }));
const HOME = '/home/op';
const load = (file, sshConfigPath = null) => (0, inventory_1.loadInventory)(file, { sshConfigPath, homeDir: HOME, localUser: 'op' });
const fixture = (name) => load(path.join(differential, name));
let counter = 0;
function write(name, text) {
    const dir = path.join(tmp, String(counter++));
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const file = path.join(dir, name);
    (0, node_fs_1.writeFileSync)(file, text);
    return file;
}
async function refusal(file, sshConfigPath = null) {
    try {
        await load(file, sshConfigPath);
    }
    catch (e) {
        strict_1.default.ok(e instanceof inventory_1.InventoryError, String(e));
        return e.message;
    }
    strict_1.default.fail(`${file} was accepted`);
}
const target = (inv, name) => {
    const h = inv.hosts.find((x) => x.name === name);
    strict_1.default.ok(h, `${name} is in the inventory`);
    return h.target;
};
const where = (inv, name) => {
    const t = target(inv, name);
    return `${t.user}@${t.address ?? t.host}:${t.port}`;
};
(0, node_test_1.describe)('silently different values', () => {
    (0, node_test_1.test)('a YAML merge key (<<: *conn) gives the host its user and port', async () => {
        const inv = await fixture('yaml-merge-key.yml');
        strict_1.default.equal(where(inv, 'web1.example.net'), 'deploy@192.0.2.11:2222');
        strict_1.default.equal(where(inv, 'web2.example.net'), 'deploy@web2.example.net:2222');
    });
    (0, node_test_1.test)('ansible_ssh_host/_user/_port win over the short names, as in the ssh plugin', async () => {
        const inv = await fixture('ssh-aliases-ranking.ini');
        strict_1.default.equal(target(inv, 'web1.example.net').address, '192.0.2.2');
        strict_1.default.equal(target(inv, 'web2.example.net').user, 'deploy');
        strict_1.default.equal(target(inv, 'web3.example.net').port, 2202);
        // A group's ansible_ssh_user beats the host's own ansible_user.
        strict_1.default.equal(where(inv, 'web4.example.net'), 'ops@192.0.2.4:22');
        strict_1.default.equal(target(inv, 'db1.example.net').address, '192.0.2.5');
    });
    (0, node_test_1.test)('a trailing comment after a value in [group:vars] is not part of the value', async () => {
        const inv = await fixture('vars-trailing-comments.ini');
        strict_1.default.equal(where(inv, 'web1.example.net'), 'deploy@web1.example.net:2222');
        strict_1.default.equal(target(inv, 'web2.example.net').port, 2222); // 0x8AE
        strict_1.default.equal(where(inv, 'db1.example.net'), 'root@192.0.2.40:1022'); // 1_022
    });
    (0, node_test_1.test)('YAML 1.1 number forms, as PyYAML reads them', async () => {
        const inv = await fixture('yaml-11-numbers.yml');
        strict_1.default.equal(target(inv, 'octal.example.net').port, 1170); // 02222 is octal in YAML 1.1
        strict_1.default.equal(target(inv, 'hex.example.net').port, 2222);
        strict_1.default.equal(target(inv, 'underscore.example.net').port, 2222);
        strict_1.default.equal(target(inv, 'plain.example.net').port, 2222);
    });
    (0, node_test_1.test)('ssh_config Host patterns are matched case-sensitively, as by ssh', async () => {
        const config = write('config', 'Host web\n  User deploy\n  Port 2222\nHost *.Example.NET\n  User ops\n');
        const inv = await load(write('inv.ini', '[web]\nweb\nWEB\nx.example.net\nx.Example.NET\n'), config);
        strict_1.default.equal(where(inv, 'web'), 'deploy@web:2222');
        strict_1.default.equal(where(inv, 'WEB'), 'root@WEB:22');
        strict_1.default.equal(where(inv, 'x.example.net'), 'root@x.example.net:22');
        strict_1.default.equal(where(inv, 'x.Example.NET'), 'ops@x.Example.NET:22');
    });
});
(0, node_test_1.describe)('refused though Ansible or OpenSSH accept it', () => {
    (0, node_test_1.test)('a host range with a port, and IPv6 addresses with a port (INI and YAML)', async () => {
        const ini = await fixture('range-with-port.ini');
        strict_1.default.deepEqual(ini.hosts.map((h) => `${h.name} ${h.target.port}`), [
            'web1.example.net 2222',
            'web2.example.net 2222',
            'web3.example.net 2222',
            'db-a.example.net 2200',
            'db-b.example.net 2200',
            '2001:db8::10 2022',
            '2001:db8::11 22',
            '192.0.2.7 2023',
        ]);
        const yaml = await fixture('range-with-port.yml');
        strict_1.default.deepEqual(yaml.hosts.map((h) => where(yaml, h.name)), ['root@web01.example.net:2222', 'root@web02.example.net:2222', 'deploy@2001:db8::20:2022']);
    });
    (0, node_test_1.test)('escaped quotes inside ansible_ssh_common_args: the ProxyCommand is read as a jump host', async () => {
        const inv = await fixture('escaped-quotes-common-args.ini');
        const hops = target(inv, 'app1').jumpHosts ?? [];
        strict_1.default.deepEqual(hops.map((h) => [h.user, h.address ?? h.host, h.port, h.privateKeyPath]), [['ubuntu', '203.0.113.10', 22, '/keys/bastion']]);
        strict_1.default.deepEqual((target(inv, 'app2').jumpHosts ?? []).map((h) => `${h.user}@${h.address ?? h.host}:${h.port}`), ['ops@203.0.113.11:2200']);
    });
    (0, node_test_1.test)('--limit subscripts and character classes select what Ansible selects', async () => {
        const inv = await fixture('children-and-subscripts.ini');
        const names = (p) => (0, inventory_1.selectHosts)(inv, p).map((h) => h.name);
        // top's hosts in Ansible's order: t1, then mid (m1), then mid's children b1 b2 a1 a2.
        strict_1.default.deepEqual(names('top[0]'), ['t1']);
        strict_1.default.deepEqual(names('top[1]'), ['m1']);
        strict_1.default.deepEqual(names('top[-1]'), ['a2']);
        strict_1.default.deepEqual(names('top[2:3]'), ['b1', 'b2']);
        strict_1.default.deepEqual(names('top[4:]'), ['a1', 'a2']);
        strict_1.default.deepEqual(names('top[0-1]'), ['m1', 't1']); // result in inventory order
        strict_1.default.deepEqual(names('[ab]1'), ['b1', 'a1']);
        strict_1.default.deepEqual(names('[!ab]?'), ['m1', 't1']);
        strict_1.default.deepEqual(names('~[ab][12]'), ['b1', 'b2', 'a1', 'a2']);
        // A regex or glob matches group names too, `all` included (as in Ansible).
        strict_1.default.deepEqual(names('~[ab]'), ['b1', 'b2', 'a1', 'a2', 'm1', 't1']);
        strict_1.default.throws(() => names('top[9]'), /no host matched the subscripted pattern "top\[9\]"/);
        strict_1.default.deepEqual(names('leaf_*:!leaf_b'), ['a1', 'a2']);
    });
    (0, node_test_1.test)('a YAML anchor used 300 times', async () => {
        const inv = await fixture('yaml-anchor-300.yml');
        strict_1.default.equal(where(inv, 'node1.example.net'), 'deploy@node1.example.net:2222');
        strict_1.default.equal(where(inv, 'node2.example.net'), 'deploy@node2.example.net:2222');
    });
    (0, node_test_1.test)('inventory names that are aliases: the name is the workflow id, the address is connected to', async () => {
        const inv = await fixture('alias-names.ini');
        strict_1.default.deepEqual(inv.hosts.map((h) => `${h.target.host} → ${h.target.address}:${h.target.port}`), ['db_primary → 192.0.2.50:22', 'db_replica_1 → 192.0.2.51:2222', 'Web_Server_A → web-a.example.net:22']);
    });
});
(0, node_test_1.describe)('hostile files', () => {
    (0, node_test_1.test)('a chain of 5,000 child groups loads (no stack overflow); a cycle is named', async () => {
        const n = 5_000;
        const lines = ['[g0]', 'leaf ansible_port=2022'];
        for (let i = 1; i < n; i++)
            lines.push(`[g${i}:children]`, `g${i - 1}`);
        lines.push(`[g${n - 1}:vars]`, 'ansible_user=top', '[g0:vars]', 'ansible_user=bottom');
        const inv = await load(write('deep.ini', `${lines.join('\n')}\n`));
        strict_1.default.equal(where(inv, 'leaf'), 'bottom@leaf:2022');
        strict_1.default.equal(inv.hosts[0].groups.length, n);
        const cycle = await refusal(write('cycle.ini', '[a:children]\nb\n[b:children]\na\n[a]\nh1\n'));
        strict_1.default.match(cycle, /group cycle: .*a.*b.*a|group cycle: .*b.*a.*b/);
    });
    (0, node_test_1.test)('control bytes from the file are escaped in error messages', async () => {
        const file = write('inv.ini', '[web]\nweb\u001b]0;pwned\u0007\u001bc\u202e ansible_host=192.0.2.1\n');
        const message = await refusal(file);
        strict_1.default.doesNotMatch(message, shell_1.CONTROL_CHARS_RE);
        strict_1.default.match(message, /inv\.ini:2: web\\x1b\]0;pwned\\x07\\x1bc\\u202e: the characters of an inventory name/);
    });
    (0, node_test_1.test)('a YAML alias bomb is refused at its file and line, not with a bare library error', async () => {
        const rows = ['all:', '  vars:', '    a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
        for (let i = 1; i < 10; i++)
            rows.push(`    a${i}: &a${i} [${Array(10)
                .fill(`*a${i - 1}`)
                .join(', ')}]`);
        rows.push('  hosts:', '    web1.example.net:');
        const file = write('bomb.yml', `${rows.join('\n')}\n`);
        const message = await refusal(file);
        strict_1.default.match(message, /^.*bomb\.yml:4: YAML aliases here expand to more than \d+ nodes/);
    });
});
(0, node_test_1.describe)('settings that weaken host-key checking, and keys given as content', () => {
    (0, node_test_1.test)('StrictHostKeyChecking accept-new with UserKnownHostsFile /dev/null is refused (inventory)', async () => {
        const message = await refusal(path.join(differential, 'refused-accept-new-devnull.ini'));
        strict_1.default.match(message, /refused-accept-new-devnull\.ini:3: ansible_ssh_common_args: .*trusts every key/);
    });
    (0, node_test_1.test)('the same from ssh_config is refused, naming the ssh_config line', async () => {
        const config = write('config', 'Host *\n  StrictHostKeyChecking accept-new\n  UserKnownHostsFile /dev/null\n');
        const message = await refusal(write('inv.ini', '[web]\nweb-1\n'), config);
        strict_1.default.match(message, /config:3: UserKnownHostsFile: .*trusts every key on every connection/);
    });
    (0, node_test_1.test)('accept-new with a real known_hosts file is trust on first use, and kept', async () => {
        const inv = await fixture('jump-hosts.yml');
        const t = target(inv, '10.1.0.3');
        strict_1.default.equal(t.trustOnFirstUse, true);
        strict_1.default.equal(t.knownHostsPath, '/var/lib/kr/known_hosts');
    });
    (0, node_test_1.test)('a private key given as content (ansible_ssh_private_key) is refused with the reason', async () => {
        const message = await refusal(path.join(differential, 'refused-private-key-content.yml'));
        strict_1.default.match(message, /ansible_ssh_private_key: ansible_ssh_private_key is the key itself/);
    });
});
//# sourceMappingURL=inventory-real-tools.test.js.map