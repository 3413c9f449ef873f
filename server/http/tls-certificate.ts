import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';
import type { TlsConfig } from '../config';
import type { Logger } from '../logger';

/** A PEM certificate chain and its private key. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Whether the store made this certificate itself (development only). */
  readonly generated: boolean;
}

const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The certificate the HTTPS listener serves: the configured files, or a self-signed certificate
 * for localhost generated once into DATA_DIR and reused on later starts until it nears expiry.
 */
export async function loadTlsMaterial(tls: TlsConfig, logger: Logger): Promise<TlsMaterial> {
  if (tls.kind === 'files') {
    return { cert: fs.readFileSync(tls.certFile, 'utf8'), key: fs.readFileSync(tls.keyFile, 'utf8'), generated: false };
  }
  const dir = path.join(tls.dir, 'tls');
  const certFile = path.join(dir, 'localhost-cert.pem');
  const keyFile = path.join(dir, 'localhost-key.pem');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile, 'utf8');
    const validTo = new Date(new X509Certificate(cert).validTo).getTime();
    if (validTo - Date.now() > RENEW_BEFORE_MS) return { cert, key: fs.readFileSync(keyFile, 'utf8'), generated: true };
  }
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert, { mode: 0o644 });
  logger.warn({ certFile }, 'generated a self-signed certificate for localhost (development only)');
  return { cert: pems.cert, key: pems.private, generated: true };
}
