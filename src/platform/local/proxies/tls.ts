/**
 * Certificates for TLS and mutual TLS between local proxies, made fresh for every run with the
 * system's `openssl` (argv only): a throw-away CA, a server certificate for localhost/127.0.0.1
 * and a client certificate, all ECDSA P-256 and valid for one day. Nothing is reused across runs.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SetupError, errorMessage } from '../../../errors.js';

const exec = promisify(execFile);

export interface TlsMaterial {
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** Certificate followed by its key in one file (HAProxy's `crt`). */
  serverPemPath: string;
  clientPemPath: string;
  /** The name the server certificate is valid for (SNI and verification). */
  serverName: string;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[], dir: string): Promise<void> {
  try {
    await exec('openssl', args, { cwd: dir, timeout: 15_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new SetupError(
      `could not make per-run TLS certificates with \`openssl ${args.slice(0, 2).join(' ')} …\`: ${stderr || errorMessage(error)}; check that openssl is installed`,
    );
  }
}

/** Issue one leaf certificate signed by the run's CA. */
async function issue(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(['req', ...KEY_ARGS, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  await openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial']
      .concat(['-days', '1', '-sha256', '-out', `${name}.crt`, '-extfile', `${name}.ext`]),
    dir,
  );
  const pem = (await readFile(join(dir, `${name}.crt`), 'utf8')) + (await readFile(join(dir, `${name}.key`), 'utf8'));
  await writeFile(join(dir, `${name}.pem`), pem, { mode: 0o600 });
}

/** Make a CA, a server and a client certificate in `dir`. */
export async function generateTlsMaterial(dir: string): Promise<TlsMaterial> {
  await openssl(
    ['req', '-x509', ...KEY_ARGS, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=meshgate run CA']
      .concat(['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    dir,
  );
  await issue(
    dir,
    'server',
    '/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  await issue(dir, 'client', '/CN=meshgate-client', 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  const path = (file: string) => join(dir, file);
  return {
    caCertPath: path('ca.crt'),
    serverCertPath: path('server.crt'),
    serverKeyPath: path('server.key'),
    clientCertPath: path('client.crt'),
    clientKeyPath: path('client.key'),
    serverPemPath: path('server.pem'),
    clientPemPath: path('client.pem'),
    serverName: 'localhost',
  };
}
