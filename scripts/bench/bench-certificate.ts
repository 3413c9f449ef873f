import fs from 'node:fs';
import path from 'node:path';
import selfsigned from 'selfsigned';

/**
 * A self-signed certificate for `localhost` only (a DNS name, no IP addresses), shared by the
 * store and both references. Naming no IP address is deliberate: the store's sandboxes deliver
 * their callbacks to https://127.0.0.1:<port> and verify the name, so with this certificate those
 * deliveries fail and the callback row's own deliveries are the ones that pay the orders.
 */
export async function writeBenchCertificate(dir: string): Promise<{ certFile: string; keyFile: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
    ],
  });
  const certFile = path.join(dir, 'bench-cert.pem');
  const keyFile = path.join(dir, 'bench-key.pem');
  fs.writeFileSync(certFile, pems.cert);
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { certFile, keyFile };
}
