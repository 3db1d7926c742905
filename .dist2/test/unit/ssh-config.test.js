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
 * ~/.ssh/config as `ssh <alias>` would read it: Host patterns, first value wins, tokens,
 * Include, Match (evaluated as ssh -G does; exec refused), ProxyJump chains, and its place in the precedence
 * inventory > ssh_config > caller's defaults > schema defaults.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const inventory_1 = require("../../src/inventory");
const ssh_config_1 = require("../../src/inventory/ssh-config");
const home = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'ssh-config-test-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(home, { recursive: true, force: true }));
const sshDir = path.join(home, '.ssh');
(0, node_fs_1.mkdirSync)(path.join(sshDir, 'config.d'), { recursive: true });
const config = `# personal config
Include config.d/*.conf

Host web-* !web-legacy
    HostName %h.internal.example.org
    User deploy
    IdentityFile ~/.ssh/id_%r_%h
    IdentityFile ~/.ssh/second_key_ignored

Host web-9
    User first-match-lost

Host db?
    HostName 10.0.2.%h
    Port 2222
    UserKnownHostsFile %d/.ssh/known_hosts_db /etc/ssh/ignored
    StrictHostKeyChecking accept-new
    ProxyJump ops@jump2.example.org:2200,bastion

Host bastion
    HostName 203.0.113.10
    User jump
    ProxyJump none

Host jump2.example.org
    ProxyJump outer.example.org
    IdentityAgent ~/.ssh/agent.sock

Match originalhost corp-* exec "test -f /etc/corp"
    User matched-user

Match host *.internal.example.org !user deploy
    Port 2300

Host legacy-*
    ProxyCommand nc -x proxy:1080 %h %p
    Include config.d/*.conf

Host *
    User fallback
    Port=2020
`;
(0, node_fs_1.writeFileSync)(path.join(sshDir, 'config'), config);
(0, node_fs_1.writeFileSync)(path.join(sshDir, 'config.d', '10-lab.conf'), 'Host lab-*\n  User labuser\n  Port 2201\n');
(0, node_fs_1.writeFileSync)(path.join(sshDir, 'config.d', 'ignored.txt'), 'Host lab-*\n  User wrong\n');
const configPath = path.join(sshDir, 'config');
/** 1-based line of the first config line that contains `text`. */
const lineOf = (text) => config.split('\n').findIndex((l) => l.includes(text)) + 1;
let counter = 0;
function inventory(name, text) {
    const dir = path.join(home, `inv${counter++}`);
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    (0, node_fs_1.writeFileSync)(path.join(dir, name), text);
    return path.join(dir, name);
}
const load = (file, defaults = {}) => (0, inventory_1.loadInventory)(file, { sshConfigPath: configPath, homeDir: home, localUser: 'op', defaults });
(0, node_test_1.describe)('Host patterns', () => {
    (0, node_test_1.test)('globs, negation, several patterns, case-insensitive', () => {
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['web-*', '!web-legacy'], 'web-1'), true);
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['web-*', '!web-legacy'], 'web-legacy'), false);
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['db?'], 'db1'), true);
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['db?'], 'db12'), false);
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['a', 'b*'], 'bee'), true);
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['!x'], 'y'), false, 'a negation alone matches nothing');
        strict_1.default.equal((0, ssh_config_1.hostPatternsMatch)(['web-*'], 'WEB-1'.toLowerCase()), true);
    });
    (0, node_test_1.test)('first obtained value wins; Include with a glob; Match exec is refused where it could apply', async () => {
        const cfg = await (0, inventory_1.loadSshConfig)(configPath, { home });
        const v = (alias, key) => cfg.lookup(alias).get(key)?.args.join(' ');
        strict_1.default.equal(v('web-9', 'user'), 'deploy');
        strict_1.default.equal(v('web-legacy', 'user'), 'fallback');
        strict_1.default.equal(v('lab-1', 'user'), 'labuser');
        strict_1.default.equal(v('lab-1', 'port'), '2201');
        strict_1.default.equal(v('other', 'port'), '2020');
        strict_1.default.equal(cfg.lookup('other').get('user')?.origin.line, lineOf('User fallback'));
        strict_1.default.equal(v('legacy-1', 'user'), 'fallback', 'Host lines inside an included file decide for its lines');
        strict_1.default.equal(cfg.lookup('lab-1').get('user')?.origin.line, 2, 'the included file’s own line');
        strict_1.default.deepEqual(cfg.warnings, []);
        strict_1.default.throws(() => cfg.lookup('corp-1'), (e) => e instanceof inventory_1.InventoryError &&
            e.message.replaceAll(home, '~') ===
                `~/.ssh/config:${lineOf('Match originalhost')}: Match: Match exec cannot be evaluated by kernel-rollout (it runs a command); move the settings into a Host block or the inventory`);
        strict_1.default.equal(v('other', 'user'), 'fallback', 'a Match exec whose other criterion fails is simply inactive');
    });
});
(0, node_test_1.describe)('Match', () => {
    (0, node_test_1.test)('host (after HostName, any case), user so far, negation, comma lists, and the final pass', async () => {
        const file = path.join(sshDir, 'match_config');
        (0, node_fs_1.writeFileSync)(file, `Host gw
    HostName GW.Example.NET
Match host gw.example.net !user ops
    Port 2201
Match user ops,admin originalhost gw
    Port 2202
Match final
Host gw.example.net
    User final-user
Host *
    IdentityFile none
    IdentityFile ~/.ssh/second
`);
        const cfg = await (0, inventory_1.loadSshConfig)(file, { home });
        const v = (alias, key, user) => cfg
            .lookup(alias, { localUser: 'op', ...(user ? { user } : {}) })
            .get(key)
            ?.args.join(' ');
        strict_1.default.equal(v('gw', 'port'), '2201');
        strict_1.default.equal(v('gw', 'port', 'ops'), '2202');
        strict_1.default.equal(v('other', 'port'), undefined);
        strict_1.default.equal(v('gw', 'user'), 'final-user', 'Host lines see the resolved, lower-cased name on the final pass');
        strict_1.default.equal(v('other', 'identityfile'), '~/.ssh/second', 'IdentityFile none adds nothing');
        (0, node_fs_1.writeFileSync)(path.join(sshDir, 'bad_match'), 'Match host\n  Port 1\nMatch all host x\n  Port 2\nMatch foo x\n');
        await strict_1.default.rejects((0, inventory_1.loadSshConfig)(path.join(sshDir, 'bad_match'), { home }), (e) => {
            strict_1.default.ok(e instanceof inventory_1.InventoryError);
            strict_1.default.deepEqual(e.message.replaceAll(home, '~').split('\n'), [
                '~/.ssh/bad_match:1: Match: Match host needs an argument',
                "~/.ssh/bad_match:3: Match: 'all' cannot be combined with other Match criteria (except a preceding canonical or final)",
                '~/.ssh/bad_match:5: Match: unsupported Match criterion "foo" (kernel-rollout evaluates all, canonical, final, host, originalhost, user, localuser)',
            ]);
            return true;
        });
    });
});
(0, node_test_1.describe)('inventory + ssh_config', () => {
    (0, node_test_1.test)('an inventory of aliases: HostName (%h), User, Port, IdentityFile tokens, known_hosts, accept-new', async () => {
        const inv = await load(inventory('inv.yaml', 'kernelRollout: 1\nhosts:\n  web-1:\n  db1:\n  plain:\n'));
        const [web, db, plain] = inv.hosts.map((h) => h.target);
        strict_1.default.deepEqual(web, {
            host: 'web-1',
            address: 'web-1.internal.example.org',
            port: 2020,
            user: 'deploy',
            privateKeyPath: `${home}/.ssh/id_deploy_web-1.internal.example.org`,
            trustOnFirstUse: false,
        });
        strict_1.default.deepEqual(db, {
            host: 'db1',
            address: '10.0.2.db1',
            port: 2222,
            user: 'fallback',
            knownHostsPath: `${home}/.ssh/known_hosts_db`,
            trustOnFirstUse: true,
            jumpHosts: [
                { host: 'outer.example.org', port: 2020, user: 'fallback', trustOnFirstUse: false },
                {
                    host: 'jump2.example.org',
                    port: 2200,
                    user: 'ops',
                    agentSocket: `${home}/.ssh/agent.sock`,
                    trustOnFirstUse: false,
                },
                { host: 'bastion', address: '203.0.113.10', port: 2020, user: 'jump', trustOnFirstUse: false },
            ],
        });
        strict_1.default.deepEqual(plain, { host: 'plain', port: 2020, user: 'fallback', trustOnFirstUse: false });
    });
    (0, node_test_1.test)('precedence: inventory > ssh_config > caller defaults > schema defaults', async () => {
        const file = inventory('inv.yaml', `kernelRollout: 1
hosts:
  web-1: { user: explicit, address: 192.0.2.1, privateKeyPath: /keys/explicit }
  lab-2: {}
`);
        const inv = await load(file, { user: 'dflt', port: 1022, privateKeyPath: '/keys/default', agentSocket: '/run/a' });
        const [web, lab] = inv.hosts.map((h) => h.target);
        strict_1.default.deepEqual(web, {
            host: 'web-1',
            address: '192.0.2.1',
            port: 2020,
            user: 'explicit',
            privateKeyPath: '/keys/explicit',
            agentSocket: '/run/a',
            trustOnFirstUse: false,
        });
        strict_1.default.equal(lab.user, 'labuser');
        strict_1.default.equal(lab.privateKeyPath, '/keys/default');
        const noConfig = await (0, inventory_1.loadInventory)(file, { sshConfigPath: null, defaults: { user: 'dflt' } });
        strict_1.default.deepEqual(noConfig.hosts.map((h) => [h.target.user, h.target.port]), [
            ['explicit', 22],
            ['dflt', 22],
        ]);
    });
    (0, node_test_1.test)('an explicit proxyJump in the inventory replaces ssh_config’s; none removes it', async () => {
        const inv = await load(inventory('inv.yaml', 'kernelRollout: 1\nhosts:\n  db1: { proxyJump: none }\n  db2: { proxyJump: bastion }\n'));
        strict_1.default.equal(inv.hosts[0].target.jumpHosts, undefined);
        strict_1.default.deepEqual(inv.hosts[1].target.jumpHosts, [
            { host: 'bastion', address: '203.0.113.10', port: 2020, user: 'jump', trustOnFirstUse: false },
        ]);
    });
    (0, node_test_1.test)('Ansible: ssh_config is matched against ansible_host, as Ansible hands it to ssh, and its HostName applies', async () => {
        const inv = await load(inventory('hosts.ini', '[db]\nprimary ansible_host=db7\nreplica\n'));
        strict_1.default.deepEqual(inv.hosts.map((h) => [h.name, h.target.address, h.target.port, h.target.user]), [
            ['primary', '10.0.2.db7', 2222, 'fallback'],
            ['replica', undefined, 2020, 'fallback'],
        ]);
    });
    (0, node_test_1.test)('refused at the ssh_config line: a ProxyCommand that applies, an unknown token, a bad port', async () => {
        const bad = path.join(sshDir, 'bad_config');
        (0, node_fs_1.writeFileSync)(bad, 'Host x\n  Port 99999\nHost y\n  IdentityFile ~/.ssh/%C\n');
        const file = inventory('inv.yaml', 'kernelRollout: 1\nhosts:\n  legacy-1:\n  x:\n  y:\n');
        await strict_1.default.rejects(load(file), (e) => {
            strict_1.default.ok(e instanceof inventory_1.InventoryError);
            strict_1.default.equal(e.message.replaceAll(home, '~'), `~/.ssh/config:${lineOf('ProxyCommand')}: ProxyCommand: ProxyCommand is not supported; use ProxyJump ([user@]host[:port], several separated by commas) (for legacy-1)`);
            return true;
        });
        await strict_1.default.rejects((0, inventory_1.loadInventory)(file, { sshConfigPath: bad, homeDir: home, localUser: 'op' }), (e) => {
            strict_1.default.ok(e instanceof inventory_1.InventoryError);
            strict_1.default.deepEqual(e.message.replaceAll(home, '~').split('\n'), [
                '~/.ssh/bad_config:2: Port: must be 1-65535 (for x)',
                '~/.ssh/bad_config:4: IdentityFile: unsupported token %C (supported: %% %d %u %h %n %r %p) (for y)',
            ]);
            return true;
        });
    });
    (0, node_test_1.test)('a value from ssh_config that fails the target schema is reported at its ssh_config line', async () => {
        const bad = path.join(sshDir, 'bad_user');
        (0, node_fs_1.writeFileSync)(bad, '\nHost *\n  User Administrator\n');
        await strict_1.default.rejects((0, inventory_1.loadInventory)(inventory('inv.yaml', 'kernelRollout: 1\nhosts:\n  a:\n  b:\n'), {
            sshConfigPath: bad,
            homeDir: home,
        }), (e) => e instanceof inventory_1.InventoryError &&
            e.message.replaceAll(home, '~') === '~/.ssh/bad_user:3: User: must be a Unix user name (for a)');
    });
    (0, node_test_1.test)('a missing ~/.ssh/config is fine; a missing explicit one is an error', async () => {
        const file = inventory('inv.yaml', 'kernelRollout: 1\nhosts:\n  a:\n');
        const inv = await (0, inventory_1.loadInventory)(file, { homeDir: path.join(home, 'nobody') });
        strict_1.default.equal(inv.hosts[0].target.user, 'root');
        await strict_1.default.rejects((0, inventory_1.loadInventory)(file, { sshConfigPath: path.join(home, 'missing') }), /missing: cannot read this ssh config file/);
    });
});
//# sourceMappingURL=ssh-config.test.js.map