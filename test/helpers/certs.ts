/**
 * Test certificates made by openssl (ECDSA P-256, valid 2 days): a CA and certificates it signs.
 * Used by the profile test (a TLS terminator in-process) and the production topology test (the
 * Temporal server's frontend and internode mTLS, its system workers, the UI server, kernelctl).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface CertificateSpec {
  /** Files `<name>.pem` and `<name>.key` in the directory. */
  name: string;
  /** openssl x509 extensions, one per line (subjectAltName, extendedKeyUsage…). */
  extensions: string;
}

/** A server certificate for localhost/127.0.0.1 and a client certificate: the common case. */
export const SERVER_AND_CLIENT: CertificateSpec[] = [
  { name: 'server', extensions: 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth' },
  { name: 'client', extensions: 'extendedKeyUsage=clientAuth' },
];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** Writes ca.pem/ca.key and every spec's `<name>.pem`/`<name>.key` into `dir`. */
export function makeCertificates(dir: string, specs: CertificateSpec[] = SERVER_AND_CLIENT): void {
  const key = (name: string) => openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name]);
  key('ca.key');
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=kernel-rollout test CA',
    '-days',
    '2',
    '-out',
    'ca.pem',
  ]);
  for (const { name, extensions } of specs) {
    key(`${name}.key`);
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
    writeFileSync(path.join(dir, `${name}.ext`), `${extensions}\n`);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
  }
}
