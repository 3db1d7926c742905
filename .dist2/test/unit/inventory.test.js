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
 * Inventories: the three formats, error messages that name file:line:field, Ansible ranges and
 * variable precedence, --limit patterns, and a 10,000-host inventory.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const inventory_1 = require("../../src/inventory");
const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'inventories');
const tmp = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'inventory-test-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true }));
const HOME = '/home/op';
const load = (file, sshConfigPath = null) => (0, inventory_1.loadInventory)(file, { sshConfigPath, homeDir: HOME, localUser: 'op' });
let counter = 0;
function write(name, text) {
    const dir = path.join(tmp, String(counter++));
    const file = path.join(dir, name);
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    (0, node_fs_1.writeFileSync)(file, text);
    return file;
}
/** The error's lines, with the temp directory cut off so they read like the operator's. */
async function errorsOf(file) {
    try {
        await load(file);
    }
    catch (e) {
        strict_1.default.ok(e instanceof inventory_1.InventoryError, `expected InventoryError, got ${String(e)}`);
        return e.message.split('\n').map((l) => l.replace(`${path.dirname(file)}/`, ''));
    }
    strict_1.default.fail('the inventory loaded, but it should have been refused');
}
(0, node_test_1.describe)('native format', () => {
    (0, node_test_1.test)('example.yaml: defaults, groups, jump host by inventory name, power', async () => {
        const inv = await load(path.join(fixtures, 'example.yaml'));
        strict_1.default.equal(inv.format, 'native');
        strict_1.default.deepEqual(inv.hosts.map((h) => [h.name, h.line]), [
            ['bastion-1', 21],
            ['web-1', 25],
            ['web-2', 29],
            ['db-1', 34],
        ]);
        strict_1.default.deepEqual(inv.groups, {
            web: ['web-1', 'web-2'],
            db: ['db-1'],
            prod: ['web-1', 'web-2', 'db-1'],
            ungrouped: ['bastion-1'],
        });
        const bastion = {
            host: 'bastion-1',
            address: '203.0.113.10',
            port: 22,
            user: 'deploy',
            privateKeyPath: '/home/op/.ssh/fleet_ed25519',
            knownHostsPath: '/etc/kernel-rollout/known_hosts',
            hostKeySha256: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
            trustOnFirstUse: false,
        };
        const [b, web1, web2, db1] = inv.hosts;
        strict_1.default.deepEqual(b.target, bastion);
        strict_1.default.deepEqual(web1.groups, ['web', 'prod']);
        strict_1.default.deepEqual(web1.target, {
            host: 'web-1',
            address: '10.0.1.11',
            port: 22,
            user: 'deploy',
            privateKeyPath: '/home/op/.ssh/fleet_ed25519',
            knownHostsPath: '/etc/kernel-rollout/known_hosts',
            trustOnFirstUse: false,
            jumpHosts: [bastion],
        });
        strict_1.default.deepEqual(web1.power, { driver: 'qmp', socketPath: '/run/kernel-rollout/web-1.qmp', action: 'reset' });
        strict_1.default.equal(web2.target.port, 2222);
        strict_1.default.equal(web2.target.trustOnFirstUse, true);
        strict_1.default.equal(web2.power, undefined);
        strict_1.default.equal(db1.target.user, 'dba', 'group value beats defaults');
        strict_1.default.deepEqual(db1.target.jumpHosts, [{ ...bastion, user: 'ops', port: 2200 }], 'ops@bastion-1:2200 overrides');
        strict_1.default.equal(db1.power?.driver, 'command');
    });
    (0, node_test_1.test)('the first of the host’s groups that sets a value wins; a relative key path is relative to the file', async () => {
        const file = write('inv.yaml', `kernelRollout: 1
defaults: { user: fallback, port: 2200 }
groups:
  a: { user: from-a }
  b: { user: from-b, port: 2201, privateKeyPath: keys/id_b }
  parent: { children: [a], user: from-parent, agentSocket: /run/agent.sock }
hosts:
  h1: { groups: [a, b] }
  h2: { groups: [b, a] }
  h3: { groups: [a], user: own }
  h4:
`);
        const inv = await load(file);
        const t = Object.fromEntries(inv.hosts.map((h) => [h.name, h.target]));
        strict_1.default.equal(t['h1'].user, 'from-a');
        strict_1.default.equal(t['h1'].port, 2201);
        strict_1.default.equal(t['h1'].privateKeyPath, path.join(path.dirname(file), 'keys/id_b'));
        strict_1.default.equal(t['h1'].agentSocket, '/run/agent.sock', 'inherited from the parent group');
        strict_1.default.equal(t['h2'].user, 'from-b');
        strict_1.default.equal(t['h3'].user, 'own');
        strict_1.default.deepEqual(t['h4'], { host: 'h4', user: 'fallback', port: 2200, trustOnFirstUse: false });
        strict_1.default.deepEqual(inv.hosts.find((h) => h.name === 'h1').groups, ['a', 'b', 'parent']);
    });
    (0, node_test_1.test)('a jump chain: hops named as [user@]host[:port], unknown names go through as addresses', async () => {
        const file = write('inv.yaml', `kernelRollout: 1
hosts:
  outer: { address: 198.51.100.1, proxyJump: none }
  inner: { address: 10.1.0.1, proxyJump: outer }
  deep: { address: 10.2.0.1, proxyJump: [inner, admin@jump.example.org:2022] }
`);
        const inv = await load(file);
        const deep = inv.hosts.find((h) => h.name === 'deep').target;
        strict_1.default.deepEqual(deep.jumpHosts?.map((j) => `${j.user}@${j.host}(${j.address ?? '-'}):${j.port}`), ['root@outer(198.51.100.1):22', 'root@inner(10.1.0.1):22', 'admin@jump.example.org(-):2022']);
    });
    const bad = [
        [
            'port out of range, named by file:line:field',
            `kernelRollout: 1
hosts:
  web-1:
    address: 10.0.0.1
  web-2:
    port: 70000
`,
            ['inv.yaml:6: hosts.web-2.port: must be 1-65535'],
        ],
        [
            'a typo’d key is refused with a suggestion',
            `kernelRollout: 1
defaults:
  user: deploy
hosts:
  web-1:
    adress: 10.0.0.1
`,
            [
                'inv.yaml:6: hosts.web-1.adress: unknown key (did you mean address?); known keys: address, hostKeySha256, groups, user, port, privateKeyPath, agentSocket, knownHostsPath, trustOnFirstUse, proxyJump, power',
            ],
        ],
        [
            'YAML syntax error',
            `kernelRollout: 1
hosts:
  web-1: { port: 22
  web-2:
`,
            ['inv.yaml:4: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }'],
        ],
        [
            'duplicate host',
            `kernelRollout: 1
hosts:
  web-1:
  web-1:
`,
            ['inv.yaml:4: hosts.web-1: duplicate key (YAML keeps only one of them)'],
        ],
        [
            'several problems at once: bad host name, bad user, bad power, unknown group',
            `kernelRollout: 1
groups:
  web: {}
hosts:
  web+1: {}
  web-2:
    user: Deploy
  web-3:
    power: { driver: qmp, socketPath: relative.sock }
  web-4:
    groups: [wbe]
`,
            [
                'inv.yaml:5: hosts.web+1: must be a host name or IP address',
                'inv.yaml:7: hosts.web-2.user: must be a Unix user name',
                'inv.yaml:9: hosts.web-3.power.socketPath: must be an absolute path of letters, digits and ._+@/- (no ..)',
            ],
        ],
        [
            'unknown group (checked after the schema passes)',
            `kernelRollout: 1
groups:
  web: {}
hosts:
  web-4:
    groups: [web, wbe]
`,
            ['inv.yaml:6: hosts.web-4.groups.1: unknown group "wbe" (did you mean web?); declare it under groups:'],
        ],
        [
            'wrong marker version, bad fingerprint, bad proxyJump',
            `kernelRollout: 2
hosts:
  a:
    hostKeySha256: MD5:00
    proxyJump: "bastion;reboot"
`,
            [
                'inv.yaml:1: kernelRollout: must be 1 (the format version)',
                'inv.yaml:4: hosts.a.hostKeySha256: must be an OpenSSH fingerprint like SHA256:AbC… (ssh-keygen -lf)',
                'inv.yaml:5: hosts.a.proxyJump: must be "none", "[user@]host[:port]" (several separated by commas) or a list of up to 4 of them',
            ],
        ],
        [
            'a jump loop between inventory hosts',
            `kernelRollout: 1
hosts:
  a: { proxyJump: b }
  b: { proxyJump: a }
`,
            [
                // Reported where each loop closes.
                'inv.yaml:3: hosts.a.proxyJump: ProxyJump loop: b → a → b; give the bastion no jump host (ProxyJump none) (for b)',
                'inv.yaml:4: hosts.b.proxyJump: ProxyJump loop: a → b → a; give the bastion no jump host (ProxyJump none) (for a)',
            ],
        ],
        [
            'a group cycle',
            `kernelRollout: 1
groups:
  a: { children: [b] }
  b: { children: [a] }
hosts:
  h: { groups: [a] }
`,
            [
                'inv.yaml:3: groups.a.children: group cycle: a → b → a',
                'inv.yaml:4: groups.b.children: group cycle: b → a → b',
            ],
        ],
    ];
    for (const [name, text, expected] of bad) {
        (0, node_test_1.test)(`refused: ${name}`, async () => {
            strict_1.default.deepEqual(await errorsOf(write('inv.yaml', text)), expected);
        });
    }
});
(0, node_test_1.describe)('format detection', () => {
    (0, node_test_1.test)('YAML with neither marker nor groups', async () => {
        strict_1.default.deepEqual(await errorsOf(write('inv.yaml', 'hosts:\n  web-1:\n')), [
            "inv.yaml:1: unknown inventory format: add `kernelRollout: 1` at the top for kernel-rollout's format, or use Ansible's `all: {hosts: …, children: …}`",
        ]);
    });
    (0, node_test_1.test)('both markers are ambiguous', async () => {
        strict_1.default.deepEqual(await errorsOf(write('inv.yml', 'kernelRollout: 1\nall:\n  hosts: {a: }\n')), [
            'inv.yml:1: ambiguous inventory: it has both `kernelRollout:` (native format) and `all:` (Ansible format); keep one',
        ]);
    });
    (0, node_test_1.test)('a file without extension is INI when it looks like INI, YAML otherwise', async () => {
        const ini = await load(write('hosts', '# fleet\nweb-1 ansible_port=2200\n[db]\ndb-1\n'));
        strict_1.default.equal(ini.format, 'ansible-ini');
        strict_1.default.deepEqual(ini.groups, { ungrouped: ['web-1'], db: ['db-1'] });
        const yaml = await load(write('hosts', 'web:\n  hosts:\n    web-1:\n'));
        strict_1.default.equal(yaml.format, 'ansible-yaml');
    });
    (0, node_test_1.test)('.ini with YAML content', async () => {
        strict_1.default.deepEqual(await errorsOf(write('inv.ini', 'all:\n  hosts:\n')), [
            'inv.ini: a .ini inventory must be Ansible INI ([group] sections and host lines)',
        ]);
    });
});
(0, node_test_1.describe)('Ansible inventories', () => {
    (0, node_test_1.test)('ansible-example.ini (the README example)', async () => {
        const inv = await load(path.join(fixtures, 'ansible-example.ini'));
        strict_1.default.equal(inv.format, 'ansible-ini');
        strict_1.default.deepEqual(inv.hosts.map((h) => `${h.line} ${h.target.user}@${h.name}${h.target.address ? `(${h.target.address})` : ''}:${h.target.port} ${h.groups.join(',')}`), [
            '2 deploy@web01.example.net:22 web,prod',
            '2 deploy@web02.example.net:22 web,prod',
            '2 deploy@web03.example.net:22 web,prod',
            '3 deploy@web-canary.example.net(10.0.1.50):2222 web,prod',
            '6 dba@db-a.example.net:22 db,prod',
            '6 dba@db-b.example.net:22 db,prod',
        ]);
        const web01 = inv.hosts[0].target;
        strict_1.default.equal(web01.privateKeyPath, '/home/op/.ssh/fleet_ed25519');
        strict_1.default.deepEqual(web01.jumpHosts, [{ host: 'bastion.example.net', user: 'ops', port: 22, trustOnFirstUse: false }]);
        strict_1.default.deepEqual(inv.groups['prod'], inv.hosts.map((h) => h.name));
    });
    (0, node_test_1.test)('ansible-example.yaml reads as the same fleet as the INI one', async () => {
        const ini = await load(path.join(fixtures, 'ansible-example.ini'));
        const yaml = await load(path.join(fixtures, 'ansible-example.yaml'));
        strict_1.default.equal(yaml.format, 'ansible-yaml');
        strict_1.default.deepEqual(yaml.hosts.map((h) => [h.name, h.target, [...h.groups].sort()]), ini.hosts.map((h) => [h.name, h.target, [...h.groups].sort()]));
        strict_1.default.deepEqual(yaml.hosts.map((h) => h.line), [14, 14, 14, 15, 20, 20]);
    });
    (0, node_test_1.test)('variable precedence: host > child group > parent group > all; same depth by name', async () => {
        const inv = await load(write('inv.ini', `[all:vars]
ansible_user=from_all
ansible_port=2000

[parent:vars]
ansible_user=from_parent
ansible_port=2001
ansible_ssh_private_key_file=/keys/parent

[parent:children]
child

[child:vars]
ansible_user=from_child

[child]
c1
c2 ansible_user=own

[zeta]
c1
[alpha]
c1
[alpha:vars]
ansible_port=3000
[zeta:vars]
ansible_port=4000

[parent]
p1
`));
        const t = Object.fromEntries(inv.hosts.map((h) => [h.name, h.target]));
        strict_1.default.deepEqual([t['c1'].user, t['c2'].user, t['p1'].user], ['from_child', 'own', 'from_parent']);
        // c1: parent (depth 1) 2001, alpha and zeta are depth 1 too: by name, zeta last wins.
        strict_1.default.equal(t['c1'].port, 4000);
        strict_1.default.equal(t['c2'].port, 2001);
        strict_1.default.equal(t['c2'].privateKeyPath, '/keys/parent');
        // Ansible's order (Group.get_hosts): the group's own hosts, then its children's.
        strict_1.default.deepEqual(inv.groups['parent'], ['p1', 'c1', 'c2']);
    });
    (0, node_test_1.test)('YAML: nested children, vars inheritance, host:port, ProxyCommand with ssh -W', async () => {
        const inv = await load(write('inv.yaml', `all:
  vars:
    ansible_ssh_common_args: -o ProxyCommand="ssh -W %h:%p -q jump@bastion.example.org -p 2022" -o StrictHostKeyChecking=accept-new
  hosts:
    solo.example.org:2223:
  children:
    dc1:
      vars: { ansible_user: ops }
      children:
        racks:
          hosts:
            r[1:3]-[a:b]:
              ansible_host: 10.0.0.9
`));
        strict_1.default.deepEqual(inv.hosts.map((h) => h.name), ['solo.example.org', 'r1-a', 'r1-b', 'r2-a', 'r2-b', 'r3-a', 'r3-b']);
        const solo = inv.hosts[0];
        strict_1.default.equal(solo.target.port, 2223);
        strict_1.default.deepEqual(solo.groups, ['ungrouped']);
        strict_1.default.deepEqual(solo.target.jumpHosts, [
            { host: 'bastion.example.org', user: 'jump', port: 2022, trustOnFirstUse: false },
        ]);
        strict_1.default.equal(solo.target.trustOnFirstUse, true);
        strict_1.default.equal(inv.hosts[1].target.user, 'ops');
        strict_1.default.deepEqual(inv.hosts[1].groups, ['racks', 'dc1']);
        strict_1.default.deepEqual(inv.groups, {
            dc1: ['r1-a', 'r1-b', 'r2-a', 'r2-b', 'r3-a', 'r3-b'],
            racks: ['r1-a', 'r1-b', 'r2-a', 'r2-b', 'r3-a', 'r3-b'],
            ungrouped: ['solo.example.org'],
        });
    });
    (0, node_test_1.test)('ssh args: -J chain, -i, -l, -p, -o UserKnownHostsFile; ansible_* vars beat them', async () => {
        const inv = await load(write('inv.ini', `h1 ansible_ssh_common_args="-J a@j1.example.org,j2.example.org:2200 -i ~/.ssh/k1 -l viaargs -p 2300 -o UserKnownHostsFile=~/kh"
h2 ansible_user=explicit ansible_ssh_extra_args="-l viaargs -oPort=2400"
`));
        const [h1, h2] = inv.hosts.map((h) => h.target);
        strict_1.default.deepEqual(h1, {
            host: 'h1',
            port: 2300,
            user: 'viaargs',
            privateKeyPath: '/home/op/.ssh/k1',
            knownHostsPath: '/home/op/kh',
            trustOnFirstUse: false,
            jumpHosts: [
                { host: 'j1.example.org', user: 'a', port: 22, trustOnFirstUse: false },
                { host: 'j2.example.org', user: 'root', port: 2200, trustOnFirstUse: false },
            ],
        });
        strict_1.default.equal(h2.user, 'explicit');
        strict_1.default.equal(h2.port, 2400);
    });
    (0, node_test_1.test)('ranges: numeric with leading zeros and stride, alphabetic, several in one name', () => {
        strict_1.default.deepEqual((0, inventory_1.expandHostRange)('web[01:03].example.com'), [
            'web01.example.com',
            'web02.example.com',
            'web03.example.com',
        ]);
        strict_1.default.deepEqual((0, inventory_1.expandHostRange)('n[0:10:5]'), ['n0', 'n5', 'n10']);
        strict_1.default.deepEqual((0, inventory_1.expandHostRange)('db-[a:c]'), ['db-a', 'db-b', 'db-c']);
        strict_1.default.deepEqual((0, inventory_1.expandHostRange)('r[1:2]u[8:9]'), ['r1u8', 'r1u9', 'r2u8', 'r2u9']);
        strict_1.default.deepEqual((0, inventory_1.expandHostRange)('x[:2]'), ['x0', 'x1', 'x2']);
        strict_1.default.equal((0, inventory_1.expandHostRange)('w[01:100]'), 'host range "w[01:100]": begin and end must have the same width');
        strict_1.default.equal((0, inventory_1.expandHostRange)('w[5:1]'), 'host range "w[5:1]": begin is after end');
        strict_1.default.equal((0, inventory_1.expandHostRange)('w[a:10]'), 'host range "w[a:10]" must be numeric ([01:20]) or one letter to one letter ([a:f])');
    });
    (0, node_test_1.test)('refused: unsupported connection vars, named by file:line:var', async () => {
        const file = write('inv.ini', `[web]
web-1 ansible_password=hunter2
web-2 ansible_connection=local
web-3 ansible_user="{{ lookup('env', 'USER') }}"
web@4

[web:vars]
ansible_become_pass=secret
ansible_ssh_common_args='-o ProxyCommand="nc -X 5 -x proxy:1080 %h %p"'

[db]
db-1 ansible_port=99999 ansible_host_key_checking=false
db-[1:x]
db-2 ansible_ssh_common_args="-o StrictHostKeyChecking=no"
`);
        strict_1.default.deepEqual(await errorsOf(file), [
            'inv.ini:13: db-[1:x]: host range "db-[1:x]" must be numeric ([01:20]) or one letter to one letter ([a:f])',
        ]);
        (0, node_fs_1.writeFileSync)(file, (0, node_fs_1.readFileSync)(file, 'utf8').replace('db-[1:x]\n', ''));
        strict_1.default.deepEqual(await errorsOf(file), [
            'inv.ini:2: ansible_password: password authentication is not supported; use a key (ansible_ssh_private_key_file) or ssh-agent (for web-1)',
            'inv.ini:3: ansible_connection: connection "local" is not supported; kernel-rollout connects over SSH (for web-2)',
            'inv.ini:4: ansible_user: Jinja templates are not evaluated; write the value itself (for web-3)',
            'inv.ini:5: web@4: the characters of an inventory name are letters, digits and . _ - : (it becomes the workflow id kernel-upgrade/<name>); give the host another name and its address in ansible_host',
            'inv.ini:8: ansible_become_pass: a sudo password is not supported; the SSH user needs passwordless sudo (for web-1)',
            'inv.ini:9: ansible_ssh_common_args: ProxyCommand "nc -X 5 -x proxy:1080 %h %p" is not supported; use -o ProxyJump=[user@]bastion[:port] (for web-1)',
            "inv.ini:12: ansible_host_key_checking: host key checking cannot be turned off; remove it (unknown keys can be accepted once with ansible_ssh_common_args='-o StrictHostKeyChecking=accept-new') (for db-1)",
            'inv.ini:12: ansible_port: must be 1-65535 (for db-1)',
            'inv.ini:13: ansible_ssh_common_args: StrictHostKeyChecking=no cannot be honoured: host keys are always verified (accept-new gives trust on first use) (for db-2)',
        ]);
    });
    (0, node_test_1.test)('refused: YAML with an unexpected group key, at its line', async () => {
        strict_1.default.deepEqual(await errorsOf(write('inv.yaml', 'all:\n  children:\n    web:\n      host:\n        web-1:\n')), [
            'inv.yaml:4: all.children.web.host: unexpected key in a group (expected hosts, children or vars)',
        ]);
    });
});
(0, node_test_1.describe)('--limit patterns', () => {
    let inv;
    (0, node_test_1.test)('load', async () => {
        inv = await load(path.join(fixtures, 'ansible-example.ini'));
    });
    const cases = [
        ['all', ['web01', 'web02', 'web03', 'web-canary', 'db-a', 'db-b']],
        ['*', ['web01', 'web02', 'web03', 'web-canary', 'db-a', 'db-b']],
        ['db', ['db-a', 'db-b']],
        ['db-b.example.net,web01.example.net', ['web01', 'db-b']],
        ['db:web-canary.example.net', ['web-canary', 'db-a', 'db-b']],
        ['web0*', ['web01', 'web02', 'web03']],
        ['web0?.example.net', ['web01', 'web02', 'web03']],
        ['prod:!web', ['db-a', 'db-b']],
        ['prod:&web:!web02.example.net', ['web01', 'web03', 'web-canary']],
        ['!db', ['web01', 'web02', 'web03', 'web-canary']],
        ['&db', ['db-a', 'db-b']],
        ['~^web\\d+', ['web01', 'web02', 'web03']],
        ['d*', ['db-a', 'db-b']],
    ];
    for (const [pattern, expected] of cases) {
        (0, node_test_1.test)(pattern, () => {
            strict_1.default.deepEqual((0, inventory_1.selectHosts)(inv, pattern).map((h) => h.name.replace('.example.net', '')), expected);
        });
    }
    (0, node_test_1.test)('names that match nothing are an error naming them', () => {
        strict_1.default.throws(() => (0, inventory_1.selectHosts)(inv, 'web:dbb:!nope'), (e) => e instanceof inventory_1.LimitPatternError &&
            e.message === `--limit: "dbb", "!nope" select no host in ${inv.file} (names are case-sensitive)`);
        strict_1.default.throws(() => (0, inventory_1.selectHosts)(inv, ''), /empty --limit pattern/);
    });
});
(0, node_test_1.test)('a 10,000-host native inventory loads', async (t) => {
    const lines = ['kernelRollout: 1', 'groups:', '  web: { user: deploy }', '  db: { port: 2222 }', 'hosts:'];
    for (let i = 0; i < 10000; i++) {
        lines.push(`  host-${i}: { address: 10.${i >> 8}.${i & 255}.1, groups: [${i % 2 ? 'web' : 'db'}], proxyJump: host-0 }`);
    }
    lines[5] = '  host-0: { address: 10.0.0.1, groups: [db] }';
    const file = write('big.yaml', `${lines.join('\n')}\n`);
    const started = process.hrtime.bigint();
    const inv = await load(file);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    t.diagnostic(`10,000 hosts loaded in ${ms.toFixed(0)} ms`);
    strict_1.default.equal(inv.hosts.length, 10000);
    strict_1.default.equal(inv.groups['web'].length, 5000);
    strict_1.default.deepEqual(inv.hosts[9999].target, {
        host: 'host-9999',
        address: '10.39.15.1',
        port: 22,
        user: 'deploy',
        trustOnFirstUse: false,
        jumpHosts: [{ host: 'host-0', address: '10.0.0.1', port: 2222, user: 'root', trustOnFirstUse: false }],
    });
    strict_1.default.equal(inv.hosts[9999].line, 10005);
});
(0, node_test_1.test)('a 10,000-host Ansible INI inventory loads', async (t) => {
    const file = write('big.ini', '[web]\nweb[00001:10000].example.net\n[web:vars]\nansible_user=deploy\n');
    const started = process.hrtime.bigint();
    const inv = await load(file);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    t.diagnostic(`10,000 hosts (one range line) loaded in ${ms.toFixed(0)} ms`);
    strict_1.default.equal(inv.hosts.length, 10000);
    strict_1.default.equal(inv.hosts[9999].name, 'web10000.example.net');
    strict_1.default.equal((0, inventory_1.selectHosts)(inv, 'web:!web0000*').length, 9991);
});
(0, node_test_1.test)('a chain of 20,000 child groups: the deepest group’s vars win, every group lists the hosts below it', async (t) => {
    const depth = 20000;
    const lines = ['[g0]', 'top.example.net', '[g0:vars]', 'ansible_port=1000', 'ansible_user=from-top'];
    for (let i = 0; i < depth; i++)
        lines.push(`[g${i}:children]`, `g${i + 1}`);
    lines.push(`[g${depth}]`, 'bottom.example.net', `[g${depth}:vars]`, 'ansible_port=2022');
    lines.push(`[g${depth / 2}:vars]`, 'ansible_port=1500', 'ansible_user=from-middle');
    const file = write('chain.ini', `${lines.join('\n')}\n`);
    const started = process.hrtime.bigint();
    const inv = await load(file);
    t.diagnostic(`depth ${depth} loaded in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    const [top, bottom] = inv.hosts;
    strict_1.default.deepEqual([top.target.port, top.target.user, top.groups.length], [1000, 'from-top', 1]);
    strict_1.default.deepEqual([bottom.target.port, bottom.target.user, bottom.groups.length], [2022, 'from-middle', depth + 1]);
    strict_1.default.deepEqual(inv.groups['g0'], ['top.example.net', 'bottom.example.net']);
    strict_1.default.deepEqual(inv.groups[`g${depth / 2}`], ['bottom.example.net']);
    strict_1.default.deepEqual(inv.groups[`g${depth}`], ['bottom.example.net']);
    strict_1.default.equal(Object.keys(inv.groups).length, depth + 2, 'g0…gN and ungrouped');
});
(0, node_test_1.describe)('Ansible inventories as Ansible reads them', () => {
    (0, node_test_1.test)('a group cycle is refused at the line of the child that closes it', async () => {
        const file = write('cycle.ini', '[a:children]\nb\n[b:children]\nc\n[c:children]\na\n[c]\nh1\n');
        strict_1.default.deepEqual(await errorsOf(file), [
            'cycle.ini:2: b: group cycle: a → b → c → a (each group is listed as a child of the one before)',
        ]);
    });
    (0, node_test_1.test)('an inventory folder: its files in order, group_vars/ and host_vars/, ansible_group_priority=0', async () => {
        const dir = path.join(tmp, String(counter++), 'inventory');
        (0, node_fs_1.mkdirSync)(path.join(dir, 'group_vars', 'web'), { recursive: true });
        (0, node_fs_1.mkdirSync)(path.join(dir, 'host_vars'), { recursive: true });
        (0, node_fs_1.writeFileSync)(path.join(dir, '10-hosts'), '[web]\nweb1\nweb2\n[web:vars]\nansible_port=2200\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, '20-more.yml'), 'all:\n  children:\n    zero:\n      hosts:\n        web1:\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'README.md'), '[web]\nnot-a-host\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, '30-zero.ini'), '[zero:vars]\nansible_group_priority=0\nansible_user=zero\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'group_vars', 'all.yml'), 'ansible_port: 2222\nansible_user: all\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'group_vars', 'web', 'main.yml'), 'ansible_user: web\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'host_vars', 'web2'), 'ansible_host: 192.0.2.2\n');
        const inv = await load(dir);
        strict_1.default.deepEqual(inv.hosts.map((h) => [h.name, h.target.address, h.target.port, h.target.user]), [
            // group_vars/all beats the inventory's [web:vars]; group_vars/web beats group_vars/all;
            // zero (priority 0) ranks below web (1), so web's user wins for web1.
            ['web1', undefined, 2222, 'web'],
            ['web2', '192.0.2.2', 2222, 'web'],
        ]);
    });
    (0, node_test_1.test)('ssh arguments as ssh reads them: combined flags, ansible_ssh_args first; the rest refused', async () => {
        const inv = await load(write('args.ini', `[web]
a ansible_ssh_common_args='-Ao ProxyJump=jump@bastion:2222'
b ansible_ssh_args='-o User=first' ansible_user=second ansible_ssh_common_args='-p2201 -o IdentityFile=none -i /k/b'
`));
        strict_1.default.deepEqual(inv.hosts[0].target.jumpHosts, [
            { host: 'bastion', port: 2222, user: 'jump', trustOnFirstUse: false },
        ]);
        strict_1.default.deepEqual([inv.hosts[1].target.user, inv.hosts[1].target.port, inv.hosts[1].target.privateKeyPath], ['first', 2201, '/k/b']);
        const refused = write('refused.ini', "[web]\na ansible_ssh_common_args='-o ProxyJump=bastion stray'\n");
        strict_1.default.deepEqual(await errorsOf(refused), [
            'refused.ini:2: ansible_ssh_common_args: "stray" is not an ssh option (ssh would take it as the host to connect to); kernel-rollout cannot connect as ssh would with these arguments (for a)',
        ]);
        const stdout = write('stdout.ini', "[web]\nb ansible_ssh_extra_args='-o UserKnownHostsFile=/dev/stdout'\n");
        strict_1.default.deepEqual(await errorsOf(stdout), [
            'stdout.ini:2: ansible_ssh_extra_args: /dev/stdout is not a file; give a known_hosts file (for b)',
        ]);
        // A regular file in /dev/shm (a tmpfs) is a file; /dev/shm itself is a directory.
        const shm = (0, node_fs_1.mkdtempSync)('/dev/shm/kr-inventory-');
        try {
            (0, node_fs_1.writeFileSync)(path.join(shm, 'known_hosts'), '');
            const inShm = write('shm.ini', `[web]\nb ansible_ssh_extra_args='-o UserKnownHostsFile=${shm}/known_hosts'\n`);
            strict_1.default.equal((await load(inShm)).hosts[0].target.knownHostsPath, `${shm}/known_hosts`);
            const dirInShm = write('shmdir.ini', `[web]\nb ansible_ssh_extra_args='-o UserKnownHostsFile=${shm}'\n`);
            strict_1.default.deepEqual(await errorsOf(dirInShm), [
                `shmdir.ini:2: ansible_ssh_extra_args: ${shm} is a directory; give a known_hosts file (for b)`,
            ]);
        }
        finally {
            (0, node_fs_1.rmSync)(shm, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=inventory.test.js.map