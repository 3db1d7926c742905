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
 * docker-compose.yml runs what `npm run test:prod` proves: the same server configuration, dynamic
 * configuration, schema and namespace scripts, UI configuration and worker profile, mounted from
 * deploy/. (No container engine here: `.ci/run` checks the file's syntax with docker-compose
 * config; this test checks that what it mounts is what the topology test runs.)
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const yaml_1 = require("yaml");
const temporal_server_1 = require("../../src/dev/temporal-server");
const search_attributes_1 = require("../../src/workflows/search-attributes");
const ROOT = (0, temporal_server_1.projectRoot)();
const compose = (0, yaml_1.parse)((0, node_fs_1.readFileSync)(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const svc = (name) => {
    const s = compose.services[name];
    strict_1.default.ok(s, `docker-compose.yml has no service ${name}`);
    return s;
};
/** The `<name>.key` files a configuration names (`{{ $tls }}/server.key`, `/etc/temporal/tls/x.key`). */
const keyNames = (text) => [...new Set([...text.matchAll(/\/([\w-]+\.key)\b/g)].map((m) => m[1]))].sort();
const mounts = (name) => (svc(name).volumes ?? []).map((v) => {
    // SOURCE:TARGET[:ro]; SOURCE may hold ${VAR:-default}.
    const m = /^(.+):(\/[^:]*)(?::(?:ro|rw))?$/.exec(v);
    return { from: m?.[1] ?? v, to: m?.[2] ?? '' };
});
(0, node_test_1.describe)('docker-compose.yml: the layout the topology test proves', () => {
    (0, node_test_1.test)('server image and admin tools, not the deprecated auto-setup image', () => {
        const images = Object.values(compose.services).map((s) => s.image ?? '(build)');
        strict_1.default.ok(!images.some((i) => i.includes('auto-setup')), images.join(', '));
        // kernel-rollout's server binary (deploy/temporal/server/) in Temporal's server image.
        strict_1.default.equal(svc('temporal').build, './deploy/temporal/server');
        const dockerfile = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/temporal/server/Dockerfile'), 'utf8');
        strict_1.default.match(dockerfile, /^FROM temporalio\/server:1\.29\.1$/m);
        strict_1.default.match(dockerfile, /^COPY --from=build \/out\/temporal-server \/usr\/local\/bin\/temporal-server$/m);
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/temporal/server/go.mod'), 'utf8'), /go\.temporal\.io\/server v1\.29\.1\b/);
        strict_1.default.match(svc('temporal-schema').image ?? '', /^temporalio\/admin-tools:1\.29\.1$/);
        strict_1.default.match(svc('temporal-ui').image ?? '', /^temporalio\/ui:2\.42\.1$/);
        strict_1.default.match(svc('postgresql').image ?? '', /^postgres:/);
    });
    // What each service mounts from deploy/, and what test/prod starts with the same file.
    const expected = [
        ['temporal', './deploy/temporal/config', '/etc/temporal/config'],
        ['temporal', './deploy/temporal/dynamicconfig', '/etc/temporal/dynamicconfig'],
        ['temporal-schema', './deploy/temporal/setup-schema.sh', '/deploy/setup-schema.sh'],
        ['temporal-namespace', './deploy/temporal/create-namespace.sh', '/deploy/create-namespace.sh'],
        ['temporal-ui', './deploy/ui/config/production.yaml', '/home/ui-server/config/docker.yaml'],
        ['worker', './deploy/worker/temporal.toml', '/etc/kernel-rollout/temporal.toml'],
    ];
    for (const [service, from, to] of expected) {
        (0, node_test_1.test)(`${service} mounts ${from}`, () => {
            strict_1.default.ok((0, node_fs_1.existsSync)(path.join(ROOT, from)), `${from} is missing`);
            strict_1.default.ok(mounts(service).some((m) => m.from === from && m.to === to), `${service} does not mount ${from} at ${to}: ${JSON.stringify(mounts(service))}`);
        });
    }
    (0, node_test_1.test)('the server starts with the production environment of the mounted configuration', () => {
        const entry = (svc('temporal').entrypoint ?? []).join(' ');
        strict_1.default.match(entry, /temporal-server --root \/ --config \/etc\/temporal\/config --env production start/);
        strict_1.default.ok((0, node_fs_1.existsSync)(path.join(ROOT, 'deploy/temporal/config/production.yaml')));
        strict_1.default.equal(svc('temporal').environment?.['TEMPORAL_DYNAMIC_CONFIG'], '/etc/temporal/dynamicconfig/production.yaml');
        // The single-machine bring-up starts the server the same way, and the topology test starts
        // it through that script (test/prod/cluster.ts).
        const runServer = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/single-machine/run-server.sh'), 'utf8');
        strict_1.default.match(runServer, /--root \/ --config "\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/config" --env production start/);
        const settings = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/single-machine/settings.sh'), 'utf8');
        strict_1.default.match(settings, /TEMPORAL_DYNAMIC_CONFIG:=\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/dynamicconfig\/production\.yaml/);
        // Who may do what: compose mounts the config folder, roles.yaml in it (the server's default
        // place); run-server.sh hands the server the settings' roles file, by default that same file.
        strict_1.default.ok((0, node_fs_1.existsSync)(path.join(ROOT, 'deploy/temporal/config/roles.yaml')));
        strict_1.default.equal(svc('temporal').environment?.['KERNEL_ROLLOUT_ROLES_FILE'], undefined);
        strict_1.default.match(settings, /KERNEL_ROLLOUT_ROLES_FILE:=\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/config\/roles\.yaml\}/);
        strict_1.default.match(runServer, /^kr_need KERNEL_ROLLOUT_ROLES_FILE /m);
        strict_1.default.match(runServer, /^export [^\n]*(?:\\\n[^\n]*)*\bKERNEL_ROLLOUT_ROLES_FILE\b/m);
        // The UI: run-ui.sh starts the configuration compose mounts, unless the settings point elsewhere.
        strict_1.default.match(settings, /TEMPORAL_UI_CONFIG_DIR:=\$KERNEL_ROLLOUT_HOME\/deploy\/ui\/config\}/);
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/single-machine/run-ui.sh'), 'utf8'), /--config "\$TEMPORAL_UI_CONFIG_DIR" --env production start/);
        const cluster = (0, node_fs_1.readFileSync)(path.join(ROOT, 'test/prod/cluster.ts'), 'utf8');
        for (const script of ['run-server.sh', 'run-ui.sh', 'schema.sh', 'namespace.sh', 'database.sh']) {
            strict_1.default.ok(cluster.includes(`'${script}'`), `test/prod/cluster.ts no longer runs ${script}`);
        }
    });
    // The key files each service's own configuration reads: what it must mount, and all it may.
    const keysRead = {
        temporal: () => keyNames((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/temporal/config/production.yaml'), 'utf8')),
        'temporal-namespace': () => [`${svc('temporal-namespace').environment?.['TEMPORAL_TLS_CLIENT']}.key`],
        'temporal-ui': () => keyNames((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/ui/config/production.yaml'), 'utf8')),
        worker: () => keyNames((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/worker/temporal.toml'), 'utf8')),
    };
    const tlsMounts = (name) => mounts(name)
        .filter((m) => m.to.startsWith('/etc/temporal/tls'))
        .map((m) => ({ ...m, file: path.posix.basename(m.to) }));
    for (const [service, read] of Object.entries(keysRead)) {
        (0, node_test_1.test)(`${service} mounts ca.pem and only the pairs its configuration reads, file by file`, () => {
            const keys = read();
            strict_1.default.ok(keys.length > 0, `no key found in ${service}'s configuration`);
            const want = ['ca.pem', ...keys.flatMap((k) => [k, k.replace(/\.key$/, '.pem')])].sort();
            const got = tlsMounts(service);
            strict_1.default.deepEqual(got.map((m) => m.file).sort(), want, JSON.stringify(got));
            for (const m of got) {
                // A single file from the TLS folder, at the same name: never the folder itself.
                strict_1.default.match(m.from, /^\$\{KERNEL_ROLLOUT_TLS_DIR:-\.\/secrets\/tls\}\/[\w.-]+$/, m.from);
                strict_1.default.equal(path.posix.basename(m.from), m.file, JSON.stringify(m));
            }
        });
    }
    (0, node_test_1.test)('no container mounts ca.key, and no key is mounted into two services', () => {
        const owners = new Map();
        for (const name of Object.keys(compose.services)) {
            for (const m of mounts(name)) {
                strict_1.default.ok(!/(^|\/)ca\.key$/.test(m.from) && !m.to.endsWith('ca.key'), `${name} mounts the CA key: ${m.from}`);
                strict_1.default.ok(!/secrets\/tls\}?\/?$/.test(m.from), `${name} mounts the whole TLS folder: ${m.from}`);
                if (m.from.endsWith('.key'))
                    owners.set(m.from, [...(owners.get(m.from) ?? []), name]);
            }
        }
        const shared = [...owners].filter(([, names]) => names.length > 1);
        strict_1.default.deepEqual(shared, [], 'a key mounted into more than one service');
        strict_1.default.ok(![...owners.keys()].some((k) => k.endsWith('/kernelctl.key')), "the operator's kernelctl.key is mounted");
    });
    (0, node_test_1.test)('the worker uses its profile, with no secret in it', () => {
        strict_1.default.equal(svc('worker').environment?.['TEMPORAL_CONFIG_FILE'], '/etc/kernel-rollout/temporal.toml');
        const profile = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/worker/temporal.toml'), 'utf8');
        strict_1.default.match(profile, /client_cert_path = "\/etc\/temporal\/tls\/kernel-rollout-worker\.pem"/);
        strict_1.default.ok(!/api_key\s*=/.test(profile), 'no secret in the profile file');
    });
    (0, node_test_1.test)("create-namespace.sh (the admin's bring-up) creates every search attribute the workflows upsert", () => {
        const script = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/temporal/create-namespace.sh'), 'utf8');
        const line = /^SEARCH_ATTRIBUTES="([^"]*)"$/m.exec(script);
        strict_1.default.ok(line, 'SEARCH_ATTRIBUTES="…" in create-namespace.sh');
        const inScript = Object.fromEntries((line[1] ?? '').split(' ').map((p) => p.split('=')));
        strict_1.default.deepEqual(inScript, (0, search_attributes_1.searchAttributesForCli)());
    });
    (0, node_test_1.test)('every client certificate make-certs.sh issues has its roles in deploy/temporal/config/roles.yaml', () => {
        const certs = (0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/make-certs.sh'), 'utf8');
        const list = /^\[ \$# -gt 0 \] \|\| (?:\[ -n "\$renew" \] \|\| )?set -- (.+)$/m.exec(certs)?.[1]?.split(' ') ?? [];
        strict_1.default.ok(list.length >= 6, `make-certs.sh's default clients: ${list.join(' ')}`);
        const roles = (0, yaml_1.parse)((0, node_fs_1.readFileSync)(path.join(ROOT, 'deploy/temporal/config/roles.yaml'), 'utf8'));
        strict_1.default.deepEqual(Object.keys(roles.identities).sort(), ['server', ...list].sort());
    });
});
//# sourceMappingURL=compose-layout.test.js.map