import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';

/** A TLS-terminating reverse proxy on loopback, like a load balancer or CDN in front of a blog. */
export interface TlsProxy {
  /** The name its certificate is made for. */
  readonly hostName: string;
  readonly port: number;
  /** `https://<hostName>:<port>` */
  readonly origin: string;
  /** The proxy's certificate (PEM): self-signed, or the one given in `options.cert`. */
  readonly certPem: string;
  /** What a client that verifies the proxy trusts: `options.caPem` when given, else {@link certPem}. */
  readonly caPem: string;
  /** How many requests it forwarded. */
  readonly forwarded: () => number;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

export interface TlsProxyOptions {
  /**
   * The X-Forwarded-Proto value sent upstream: `https` by default; e.g. `https, http` for a chain
   * of proxies (the client's scheme first), which Debian's wp-config.php does not map to is_ssl().
   */
  readonly forwardedProto?: string;
  /**
   * The headers that tell upstream the client's scheme, sent instead of X-Forwarded-Proto (which
   * is then neither sent nor passed on from the client), e.g. `{ 'CF-Visitor': '{"scheme":"https"}' }`
   * or `{ Forwarded: 'for=1.2.3.4;proto=https' }`. They replace client headers of the same names.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** The certificate to serve (e.g. one a test CA issued) instead of a fresh self-signed one. */
  readonly cert?: { readonly cert: string; readonly key: string };
  /** The CA certificate that issued `cert`, handed to clients as {@link TlsProxy.caPem}. */
  readonly caPem?: string;
  /**
   * The local address the proxy connects to the blog from, e.g. `127.0.0.2` (any 127.x.y.z is
   * loopback), so that the blog's REMOTE_ADDR tells proxied requests from direct ones (127.0.0.1).
   * By default the system picks (127.0.0.1).
   */
  readonly upstreamAddress?: string;
}

/**
 * A self-signed server certificate for `hostName` (subjectAltName), valid two days. `commonName`
 * defaults to the host name; give one of its own where a client trusts several self-signed
 * certificates for the same host (OpenSSL looks a trusted certificate up by subject).
 */
export async function selfSignedFor(hostName: string, commonName = hostName): Promise<{ cert: string; key: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: hostName }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Serves `https://<hostName>:<port>`, on a loopback port the system picks, with a certificate made
 * for `hostName` (or `options.cert`), and forwards every request over plain HTTP to
 * 127.0.0.1:`targetPort` (from `options.upstreamAddress`) with the original Host header plus
 * `X-Forwarded-Proto` (or `options.headers`) and `X-Forwarded-For`, as a TLS-terminating proxy does.
 */
export async function startTlsProxy(hostName: string, targetPort: number, options: TlsProxyOptions = {}): Promise<TlsProxy> {
  const tls = options.cert ?? (await selfSignedFor(hostName));
  let count = 0;
  // Requests still waiting for WordPress; stop() ends them too, so none outlives the proxy.
  const upstreams = new Set<http.ClientRequest>();
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    count += 1;
    const headers = withoutHopByHop(req.headers);
    if (options.headers) {
      delete headers['x-forwarded-proto'];
      for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
    } else {
      headers['x-forwarded-proto'] = options.forwardedProto ?? 'https';
    }
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        localAddress: options.upstreamAddress,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
        timeout: 60_000,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
        answer.pipe(res);
      },
    );
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    hostName,
    port,
    origin: `https://${hostName}:${port}`,
    certPem: tls.cert,
    caPem: options.caPem ?? tls.cert,
    forwarded: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const upstream of upstreams) upstream.destroy();
      }),
  };
}
