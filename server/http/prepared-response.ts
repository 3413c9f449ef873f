import type { IncomingMessage, ServerResponse } from 'node:http';

/** A body serialised ahead of the request, with its strong ETag. */
export interface PreparedResponse {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
}

/**
 * Whether the client's `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this
 * header; `*` matches). A request saying `Cache-Control: no-cache` wants the body whatever it holds.
 */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined || header === '') return false;
  const cacheControl = req.headers['cache-control'];
  if (cacheControl !== undefined && /(?:^|,)\s*no-cache/.test(cacheControl)) return false;
  if (header.trim() === '*') return true;
  for (const tag of header.split(',')) {
    const trimmed = tag.trim();
    if (trimmed === etag || trimmed === `W/${etag}`) return true;
  }
  return false;
}

/**
 * Sends a prepared body as 200 with its ETag and length, or 304 when the client already holds it.
 * Node drops the body of an answer to HEAD by itself.
 *
 * @param cacheControl - the `Cache-Control` of the answer (sent with the 304 too), if any
 */
export function sendPrepared(req: IncomingMessage, res: ServerResponse, prepared: PreparedResponse, cacheControl?: string): void {
  res.setHeader('ETag', prepared.etag);
  if (cacheControl !== undefined) res.setHeader('Cache-Control', cacheControl);
  if (notModified(req, prepared.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', prepared.contentType);
  res.setHeader('Content-Length', prepared.body.length);
  res.end(prepared.body);
}
