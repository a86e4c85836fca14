import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './process.js';

/** Throw-away certificates for one kube-apiserver, made with openssl (ECDSA P-256, 2 days). */
export interface KubePki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate CN=admin, O=system:masters (a superuser whatever RBAC says). */
  readonly adminCert: string;
  readonly adminKey: string;
  /** RSA key pair signing and verifying service-account tokens. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  await runCommand('openssl', args, { cwd: dir });
}

export async function createKubePki(dir: string): Promise<KubePki> {
  const ec = ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  await openssl(dir, [...ec, '-x509', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=patchward-test-ca']);
  const sign = (name: string, subject: string, ext: string) => async (): Promise<void> => {
    await openssl(dir, [...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(Date.now() + name.length),
      '-days',
      '2',
      '-out',
      `${name}.crt`,
      '-extfile',
      ext,
    ]);
  };
  await Promise.all([
    sign('apiserver', '/CN=kube-apiserver', 'server.ext')(),
    sign('admin', '/O=system:masters/CN=admin', 'client.ext')(),
    (async () => {
      await openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key']);
      await openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    })(),
  ]);
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
}
