import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { announcesBody } from './body-free-lane';
import { requestUrlContainsCardNumber } from './card-number-guard';
import { notModified, type PreparedResponse } from './prepared-response';

/** A request the lane may answer from a cache: the entry's key and what its route adds to the headers. */
export interface CachedRead {
  readonly key: string;
  /** The route's `Cache-Control`, if it sends one. */
  readonly cacheControl?: string;
  /** Whether the route sits behind the public API's CORS (blog origins may read it). */
  readonly cors: boolean;
}

/** Options of {@link cachedReadLane}. */
export interface CachedReadLaneOptions {
  /** The cached read a request URL names exactly (path and query as sent), or undefined for the usual routes. */
  readonly match: (url: string) => CachedRead | undefined;
  /** The built entry under a key, when it is current (CatalogCache.peek); anything else goes the usual way. */
  readonly peek: (key: string) => PreparedResponse | null | undefined;
  /** The headers every response over TLS carries, in the order the usual chain sets them (baseline, then HSTS). */
  readonly secureHeaders: readonly (readonly [string, string])[];
  /** Whether a browser origin may read the public API (the decision the API's CORS makes). */
  readonly allowedOrigin: (origin: string) => boolean;
  /** Whether a request came over HTTPS, as the app decides it (TRUST_PROXY): {@link secureRequests}. */
  readonly isSecure: (req: IncomingMessage) => boolean;
  /** Called for a request the lane answers, before it answers: the request logger. */
  readonly answering: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Whether a request came over HTTPS, decided as Express 5 decides `req.secure`: the connection's
 * own protocol, or, when the peer is a trusted proxy, the first value of its `X-Forwarded-Proto`.
 *
 * @param trust - the app's compiled TRUST_PROXY (`app.get('trust proxy fn')`)
 */
export function secureRequests(trust: (address: string | undefined, hop: number) => boolean): (req: IncomingMessage) => boolean {
  return (req) => {
    const own = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    if (!trust(req.socket.remoteAddress, 0)) return own === 'https';
    // Node joins a repeated X-Forwarded-Proto into one string; the type allows a list.
    const forwarded = req.headers['x-forwarded-proto'];
    const header = (Array.isArray(forwarded) ? forwarded.join(', ') : forwarded) || own;
    const comma = header.indexOf(',');
    return (comma === -1 ? header : header.slice(0, comma)).trim() === 'https';
  };
}

interface Heads {
  readonly ok: readonly string[];
  readonly notModified: readonly string[];
}

/**
 * Answers the catalog's cached reads (a GET or HEAD, over HTTPS, without a body, to a URL `match`
 * names, whose entry is built and current) with one prepared header block, ahead of the router and the
 * middleware that could not change such an answer. It sends what the usual chain would send, in
 * the same order: the baseline security headers and HSTS, CORS for an allowed origin, the ETag,
 * and a 304 for a matching `If-None-Match`. Everything else (plain HTTP, another URL, a body, a stale
 * or missing entry, a 404, a URL with a card number in it) falls through to the usual chain, which
 * stays the reference: test/integration/cached-read-lane.test.ts compares the two.
 *
 * It runs before the app (see {@link withCachedReads}); its answers are logged like any other.
 *
 * @returns a function answering a request and saying true, or saying false and leaving it alone
 */
export function cachedReadLane(options: CachedReadLaneOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const secure = options.secureHeaders.flat();
  // Built once per entry (an entry is replaced, not changed, when the catalog moves).
  const heads = new WeakMap<PreparedResponse, Heads>();
  const headsOf = (prepared: PreparedResponse, read: CachedRead): Heads => {
    let built = heads.get(prepared);
    if (!built) {
      const validators = ['ETag', prepared.etag, ...(read.cacheControl === undefined ? [] : ['Cache-Control', read.cacheControl])];
      built = {
        ok: [...secure, ...validators, 'Content-Type', prepared.contentType, 'Content-Length', String(prepared.body.length)],
        notModified: [...secure, ...validators],
      };
      heads.set(prepared, built);
    }
    return built;
  };
  const withCors = (head: readonly string[], origin: string): string[] => [
    ...head.slice(0, secure.length),
    'Access-Control-Allow-Origin',
    origin,
    'Vary',
    'Origin',
    ...head.slice(secure.length),
  ];

  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || announcesBody(req)) return false;
    const url = req.url ?? '';
    const read = options.match(url);
    if (read === undefined || requestUrlContainsCardNumber(req) || !options.isSecure(req)) return false;
    const prepared = options.peek(read.key);
    if (!prepared) return false;
    options.answering(req, res);
    const head = headsOf(prepared, read);
    const unchanged = notModified(req, prepared.etag);
    const chosen = unchanged ? head.notModified : head.ok;
    const origin = read.cors ? req.headers.origin : undefined;
    res.writeHead(
      unchanged ? 304 : 200,
      origin !== undefined && options.allowedOrigin(origin) ? withCors(chosen, origin) : (chosen as string[]),
    );
    if (unchanged) res.end();
    else res.end(prepared.body);
    return true;
  };
}

/**
 * The store's request listener: the cached-read lane first, the app for everything it leaves.
 * Ahead of Express, a cached read costs neither the framework's request set-up nor its router.
 */
export function withCachedReads(lane: (req: IncomingMessage, res: ServerResponse) => boolean, app: RequestListener): RequestListener {
  return (req, res) => {
    let answered: boolean;
    try {
      answered = lane(req, res);
    } catch (err) {
      // Not expected (what the lane writes comes from the store or was a valid request header),
      // but a throw here would escape the server: the app answers instead, or the answer is cut.
      if (res.headersSent) res.destroy(err as Error);
      else app(req, res);
      return;
    }
    if (!answered) app(req, res);
  };
}
