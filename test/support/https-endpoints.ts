import http from 'node:http';
import https from 'node:https';
import { closeServer, listenOnLoopback, portOf } from './loopback';

// Stand-ins for a blog's https origin when it is broken in one particular way: it redirects back
// to http (or to itself), it is some other site, or the port speaks plain HTTP. Each listens on a
// loopback port the system picks.

/** The certificate and key an endpoint serves (PEM), e.g. from a test CA's `issue()`. */
export interface EndpointTls {
  readonly cert: string;
  readonly key: string;
}

export interface HttpsEndpoint {
  readonly port: number;
  /** `https://<hostName>:<port>` */
  origin(hostName: string): string;
  /** How many requests it answered. */
  requests(): number;
  stop(): Promise<void>;
}

async function startEndpoint(server: http.Server | https.Server, counted: { n: number }): Promise<HttpsEndpoint> {
  await listenOnLoopback(server);
  const port = portOf(server);
  return {
    port,
    origin: (hostName) => `https://${hostName}:${port}`,
    requests: () => counted.n,
    stop: () => closeServer(server),
  };
}

/**
 * Answers every request with a redirect to `location(reqUrl, host)` (`reqUrl` is the path and
 * query, `host` the Host header): to `http://…` for an origin that sends https back to http, or
 * to the same URL for a loop.
 */
export function startRedirectingHttps(
  tls: EndpointTls,
  location: (reqUrl: string, host: string) => string,
  status = 301,
): Promise<HttpsEndpoint> {
  const counted = { n: 0 };
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    counted.n += 1;
    res.writeHead(status, { Location: location(req.url ?? '/', req.headers.host ?? ''), 'Content-Length': 0 });
    res.end();
  });
  return startEndpoint(server, counted);
}

/** The page {@link startForeignHttps} serves. */
export const FOREIGN_PAGE = '<html><body>Some other site</body></html>';

/** Answers every request with 200 and {@link FOREIGN_PAGE}: https works there, but it is not the blog. */
export function startForeignHttps(tls: EndpointTls): Promise<HttpsEndpoint> {
  const counted = { n: 0 };
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
    counted.n += 1;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': Buffer.byteLength(FOREIGN_PAGE) });
    res.end(FOREIGN_PAGE);
  });
  return startEndpoint(server, counted);
}

/**
 * A plain HTTP server (no TLS) where https is expected: a TLS client's handshake gets an HTTP
 * error page back ("wrong version number"). `origin()` is its https:// URL, the one that fails;
 * `requests()` counts only well-formed HTTP requests.
 */
export function startPlainHttpOn(): Promise<HttpsEndpoint> {
  const counted = { n: 0 };
  const server = http.createServer((_req, res) => {
    counted.n += 1;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('plain http');
  });
  return startEndpoint(server, counted);
}
