/**
 * docker-compose.yml runs what `npm run test:prod` proves: the same server configuration, dynamic
 * configuration, schema and namespace scripts, UI configuration and worker profile, mounted from
 * deploy/. (No container engine here: `.ci/run` checks the file's syntax with docker-compose
 * config; this test checks that what it mounts is what the topology test runs.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../src/dev/temporal-server';
import { searchAttributesForCli } from '../../src/workflows/search-attributes';

const ROOT = projectRoot();

interface Service {
  image?: string;
  build?: string;
  entrypoint?: string[];
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const svc = (name: string): Service => {
  const s = compose.services[name];
  assert.ok(s, `docker-compose.yml has no service ${name}`);
  return s;
};
/** The `<name>.key` files a configuration names (`{{ $tls }}/server.key`, `/etc/temporal/tls/x.key`). */
const keyNames = (text: string): string[] =>
  [...new Set([...text.matchAll(/\/([\w-]+\.key)\b/g)].map((m) => m[1] as string))].sort();
const mounts = (name: string) =>
  (svc(name).volumes ?? []).map((v) => {
    // SOURCE:TARGET[:ro]; SOURCE may hold ${VAR:-default}.
    const m = /^(.+):(\/[^:]*)(?::(?:ro|rw))?$/.exec(v);
    return { from: m?.[1] ?? v, to: m?.[2] ?? '' };
  });

describe('docker-compose.yml: the layout the topology test proves', () => {
  test('server image and admin tools, not the deprecated auto-setup image', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '(build)');
    assert.ok(!images.some((i) => i.includes('auto-setup')), images.join(', '));
    // kernel-rollout's server binary (deploy/temporal/server/) in Temporal's server image.
    assert.equal(svc('temporal').build, './deploy/temporal/server');
    const dockerfile = readFileSync(path.join(ROOT, 'deploy/temporal/server/Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM temporalio\/server:1\.29\.1$/m);
    assert.match(dockerfile, /^COPY --from=build \/out\/temporal-server \/usr\/local\/bin\/temporal-server$/m);
    assert.match(
      readFileSync(path.join(ROOT, 'deploy/temporal/server/go.mod'), 'utf8'),
      /go\.temporal\.io\/server v1\.29\.1\b/,
    );
    assert.match(svc('temporal-schema').image ?? '', /^temporalio\/admin-tools:1\.29\.1$/);
    assert.match(svc('temporal-ui').image ?? '', /^temporalio\/ui:2\.42\.1$/);
    assert.match(svc('postgresql').image ?? '', /^postgres:/);
  });

  // What each service mounts from deploy/, and what test/prod starts with the same file.
  const expected: [string, string, string][] = [
    ['temporal', './deploy/temporal/config', '/etc/temporal/config'],
    ['temporal', './deploy/temporal/dynamicconfig', '/etc/temporal/dynamicconfig'],
    ['temporal-schema', './deploy/temporal/setup-schema.sh', '/deploy/setup-schema.sh'],
    ['temporal-namespace', './deploy/temporal/create-namespace.sh', '/deploy/create-namespace.sh'],
    ['temporal-ui', './deploy/ui/config/production.yaml', '/home/ui-server/config/docker.yaml'],
    ['worker', './deploy/worker/temporal.toml', '/etc/kernel-rollout/temporal.toml'],
  ];
  for (const [service, from, to] of expected) {
    test(`${service} mounts ${from}`, () => {
      assert.ok(existsSync(path.join(ROOT, from)), `${from} is missing`);
      assert.ok(
        mounts(service).some((m) => m.from === from && m.to === to),
        `${service} does not mount ${from} at ${to}: ${JSON.stringify(mounts(service))}`,
      );
    });
  }

  test('the server starts with the production environment of the mounted configuration', () => {
    const entry = (svc('temporal').entrypoint ?? []).join(' ');
    assert.match(entry, /temporal-server --root \/ --config \/etc\/temporal\/config --env production start/);
    assert.ok(existsSync(path.join(ROOT, 'deploy/temporal/config/production.yaml')));
    assert.equal(
      svc('temporal').environment?.['TEMPORAL_DYNAMIC_CONFIG'],
      '/etc/temporal/dynamicconfig/production.yaml',
    );
    // The single-machine bring-up starts the server the same way, and the topology test starts
    // it through that script (test/prod/cluster.ts).
    const runServer = readFileSync(path.join(ROOT, 'deploy/single-machine/run-server.sh'), 'utf8');
    assert.match(
      runServer,
      /--root \/ --config "\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/config" --env production start/,
    );
    const settings = readFileSync(path.join(ROOT, 'deploy/single-machine/settings.sh'), 'utf8');
    assert.match(
      settings,
      /TEMPORAL_DYNAMIC_CONFIG:=\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/dynamicconfig\/production\.yaml/,
    );
    // Who may do what: compose mounts the config folder, roles.yaml in it (the server's default
    // place); run-server.sh hands the server the settings' roles file, by default that same file.
    assert.ok(existsSync(path.join(ROOT, 'deploy/temporal/config/roles.yaml')));
    assert.equal(svc('temporal').environment?.['KERNEL_ROLLOUT_ROLES_FILE'], undefined);
    assert.match(settings, /KERNEL_ROLLOUT_ROLES_FILE:=\$KERNEL_ROLLOUT_HOME\/deploy\/temporal\/config\/roles\.yaml\}/);
    assert.match(runServer, /^kr_need KERNEL_ROLLOUT_ROLES_FILE /m);
    assert.match(runServer, /^export [^\n]*(?:\\\n[^\n]*)*\bKERNEL_ROLLOUT_ROLES_FILE\b/m);
    // The UI: run-ui.sh starts the configuration compose mounts, unless the settings point elsewhere.
    assert.match(settings, /TEMPORAL_UI_CONFIG_DIR:=\$KERNEL_ROLLOUT_HOME\/deploy\/ui\/config\}/);
    assert.match(
      readFileSync(path.join(ROOT, 'deploy/single-machine/run-ui.sh'), 'utf8'),
      /--config "\$TEMPORAL_UI_CONFIG_DIR" --env production start/,
    );
    const cluster = readFileSync(path.join(ROOT, 'test/prod/cluster.ts'), 'utf8');
    for (const script of ['run-server.sh', 'run-ui.sh', 'schema.sh', 'namespace.sh', 'database.sh']) {
      assert.ok(cluster.includes(`'${script}'`), `test/prod/cluster.ts no longer runs ${script}`);
    }
  });

  // The key files each service's own configuration reads: what it must mount, and all it may.
  const keysRead: Record<string, () => string[]> = {
    temporal: () => keyNames(readFileSync(path.join(ROOT, 'deploy/temporal/config/production.yaml'), 'utf8')),
    'temporal-namespace': () => [`${svc('temporal-namespace').environment?.['TEMPORAL_TLS_CLIENT']}.key`],
    'temporal-ui': () => keyNames(readFileSync(path.join(ROOT, 'deploy/ui/config/production.yaml'), 'utf8')),
    worker: () => keyNames(readFileSync(path.join(ROOT, 'deploy/worker/temporal.toml'), 'utf8')),
  };
  const tlsMounts = (name: string) =>
    mounts(name)
      .filter((m) => m.to.startsWith('/etc/temporal/tls'))
      .map((m) => ({ ...m, file: path.posix.basename(m.to) }));

  for (const [service, read] of Object.entries(keysRead)) {
    test(`${service} mounts ca.pem and only the pairs its configuration reads, file by file`, () => {
      const keys = read();
      assert.ok(keys.length > 0, `no key found in ${service}'s configuration`);
      const want = ['ca.pem', ...keys.flatMap((k) => [k, k.replace(/\.key$/, '.pem')])].sort();
      const got = tlsMounts(service);
      assert.deepEqual(got.map((m) => m.file).sort(), want, JSON.stringify(got));
      for (const m of got) {
        // A single file from the TLS folder, at the same name: never the folder itself.
        assert.match(m.from, /^\$\{KERNEL_ROLLOUT_TLS_DIR:-\.\/secrets\/tls\}\/[\w.-]+$/, m.from);
        assert.equal(path.posix.basename(m.from), m.file, JSON.stringify(m));
      }
    });
  }

  test('no container mounts ca.key, and no key is mounted into two services', () => {
    const owners = new Map<string, string[]>();
    for (const name of Object.keys(compose.services)) {
      for (const m of mounts(name)) {
        assert.ok(!/(^|\/)ca\.key$/.test(m.from) && !m.to.endsWith('ca.key'), `${name} mounts the CA key: ${m.from}`);
        assert.ok(!/secrets\/tls\}?\/?$/.test(m.from), `${name} mounts the whole TLS folder: ${m.from}`);
        if (m.from.endsWith('.key')) owners.set(m.from, [...(owners.get(m.from) ?? []), name]);
      }
    }
    const shared = [...owners].filter(([, names]) => names.length > 1);
    assert.deepEqual(shared, [], 'a key mounted into more than one service');
    assert.ok(![...owners.keys()].some((k) => k.endsWith('/kernelctl.key')), "the operator's kernelctl.key is mounted");
  });

  test('the worker uses its profile, with no secret in it', () => {
    assert.equal(svc('worker').environment?.['TEMPORAL_CONFIG_FILE'], '/etc/kernel-rollout/temporal.toml');
    const profile = readFileSync(path.join(ROOT, 'deploy/worker/temporal.toml'), 'utf8');
    assert.match(profile, /client_cert_path = "\/etc\/temporal\/tls\/kernel-rollout-worker\.pem"/);
    assert.ok(!/api_key\s*=/.test(profile), 'no secret in the profile file');
  });

  test("create-namespace.sh (the admin's bring-up) creates every search attribute the workflows upsert", () => {
    const script = readFileSync(path.join(ROOT, 'deploy/temporal/create-namespace.sh'), 'utf8');
    const line = /^SEARCH_ATTRIBUTES="([^"]*)"$/m.exec(script);
    assert.ok(line, 'SEARCH_ATTRIBUTES="…" in create-namespace.sh');
    const inScript = Object.fromEntries((line[1] ?? '').split(' ').map((p) => p.split('=') as [string, string]));
    assert.deepEqual(inScript, searchAttributesForCli());
  });

  test('every client certificate make-certs.sh issues has its roles in deploy/temporal/config/roles.yaml', () => {
    const certs = readFileSync(path.join(ROOT, 'deploy/make-certs.sh'), 'utf8');
    const list = /^\[ \$# -gt 0 \] \|\| (?:\[ -n "\$renew" \] \|\| )?set -- (.+)$/m.exec(certs)?.[1]?.split(' ') ?? [];
    assert.ok(list.length >= 6, `make-certs.sh's default clients: ${list.join(' ')}`);
    const roles = parse(readFileSync(path.join(ROOT, 'deploy/temporal/config/roles.yaml'), 'utf8')) as {
      identities: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(roles.identities).sort(), ['server', ...list].sort());
  });
});
