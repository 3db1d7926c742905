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
    // The topology test starts the server the same way (test/prod/cluster.ts).
    const cluster = readFileSync(path.join(ROOT, 'test/prod/cluster.ts'), 'utf8');
    for (const s of ["'deploy', 'temporal', 'config'", "'production'", "'dynamicconfig', 'production.yaml'"]) {
      assert.ok(cluster.includes(s), `test/prod/cluster.ts no longer starts the server with ${s}`);
    }
  });

  test('every TLS-speaking service mounts the certificate directory; the worker uses its profile', () => {
    for (const name of ['temporal', 'temporal-namespace', 'temporal-ui', 'worker']) {
      assert.ok(
        mounts(name).some((m) => m.to === '/etc/temporal/tls'),
        `${name} does not mount /etc/temporal/tls`,
      );
    }
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
    const list = /^\[ \$# -gt 0 \] \|\| set -- (.+)$/m.exec(certs)?.[1]?.split(' ') ?? [];
    assert.ok(list.length >= 6, `make-certs.sh's default clients: ${list.join(' ')}`);
    const roles = parse(readFileSync(path.join(ROOT, 'deploy/temporal/config/roles.yaml'), 'utf8')) as {
      identities: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(roles.identities).sort(), ['server', ...list].sort());
  });
});
