import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsServerOptions } from '../http/tls-options';

/** Where a running sandbox answers. */
export interface SandboxAddresses {
  /** Server-to-server API for the gateway SDK, plain HTTP on loopback only. */
  readonly apiUrl: string;
  readonly apiPort: number;
  /** Browser-facing pages (hosted payment page, in-page fields), HTTPS like the real gateway's. */
  readonly pagesOrigin: string;
  stop(): Promise<void>;
}

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts a sandbox gateway's two listeners on free loopback ports: the API its SDK calls, and the
 * HTTPS pages a shopper's browser sees (served with the store's TLS material for localhost).
 */
export async function startSandboxListeners(
  api: http.RequestListener,
  pages: http.RequestListener,
  tls: { readonly cert: string; readonly key: string },
): Promise<SandboxAddresses> {
  const apiServer = http.createServer(api);
  // The same TLS policy as the store's own listener: the browser sees both.
  const pagesServer = https.createServer(tlsServerOptions(tls), pages);
  const apiPort = await listen(apiServer, '127.0.0.1');
  const pagesPort = await listen(pagesServer, '127.0.0.1');
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    apiPort,
    pagesOrigin: `https://localhost:${pagesPort}`,
    stop: async () => {
      await Promise.all([close(apiServer), close(pagesServer)]);
    },
  };
}
