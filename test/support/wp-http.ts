import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** A response read whole, with how long it took. */
export interface HttpResult {
  readonly url: string;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Milliseconds from sending the request to the end of the body. */
  readonly ms: number;
}

export interface HttpOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** PEM certificates to trust for https URLs. */
  readonly ca?: string | readonly string[];
  /** The whole request is abandoned (and the promise rejected) after this long. */
  readonly timeoutMs?: number;
  /**
   * The local address to send from, e.g. `127.0.0.3` (any 127.x.y.z is loopback): a direct client
   * the blog can tell from its proxies by REMOTE_ADDR. By default the system picks (127.0.0.1).
   */
  readonly localAddress?: string;
}

// The test blogs live on made-up `*.test` names; like Chromium's --host-resolver-rules, this
// client sends them to loopback so that the URL (and so the Host header and TLS SNI) stay real.
const testHostsOnLoopback: LookupFunction = (hostname, options, callback) => {
  if (/\.test$/i.test(hostname)) {
    if (options.all) (callback as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dns.lookup(hostname, options, callback as never);
};

/**
 * One HTTP(S) request without following redirects, as a crawler or a plain HTTP client sends it
 * (no JavaScript, no cookies). `*.test` host names resolve to 127.0.0.1.
 */
export function fetchOnce(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'User-Agent': 'padlock-wordpress-tests', ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = Buffer.byteLength(options.body);
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        agent: false,
        lookup: testHostsOnLoopback,
        localAddress: options.localAddress,
        ...(target.protocol === 'https:' ? { ca: options.ca as string | string[] | undefined, servername: target.hostname } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            url,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`${options.method ?? 'GET'} ${url}: no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

/**
 * Follows redirects (GET) up to `maxRedirects`, and returns every response on the way, the last
 * one being the first that is not a redirect. Throws when the chain is longer (a redirect loop).
 */
export async function fetchFollowing(url: string, maxRedirects: number, options: HttpOptions = {}): Promise<HttpResult[]> {
  const chain: HttpResult[] = [];
  let next = url;
  for (;;) {
    const response = await fetchOnce(next, options);
    chain.push(response);
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || !location) return chain;
    if (chain.length > maxRedirects) {
      throw new Error(`more than ${maxRedirects} redirects: ${chain.map((r) => `${r.status} ${r.url}`).join(' → ')} → ${location}`);
    }
    next = new URL(location, next).toString();
  }
}
