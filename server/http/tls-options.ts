import type { TlsOptions } from 'node:tls';

/**
 * TLS 1.2 suites: forward-secret key exchange (ECDHE) with an AEAD cipher (AES-GCM, ChaCha20),
 * for ECDSA and RSA certificates alike: Mozilla's "intermediate" list without the finite-field
 * DHE suites. CBC suites, static RSA key exchange, SHA-1 MACs and 3DES are not offered.
 */
export const TLS12_CIPHERS: readonly string[] = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

/**
 * OpenSSL's default TLS 1.3 suites, named because Node caps a context whose cipher list names
 * none of them at TLS 1.2.
 */
export const TLS13_CIPHERS: readonly string[] = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];

/**
 * The TLS policy of every HTTPS listener the store runs: TLS 1.2 at least, only the suites
 * above, in the server's order of preference.
 *
 * @param material - the certificate chain and key to serve, PEM
 */
export function tlsServerOptions(material: { readonly cert: string; readonly key: string }): TlsOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
    ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':'),
    honorCipherOrder: true,
  };
}
