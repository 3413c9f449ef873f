import cors from 'cors';
import type { RequestHandler } from 'express';
import { isAllowedOrigin } from '../embed-origins';

/** Whether a browser origin may call the public JSON API: the store's own origin and EMBED_ORIGINS. */
export function publicApiOrigin(publicUrl: string, embedOrigins: readonly string[]): (origin: string) => boolean {
  return (origin) => isAllowedOrigin(origin, publicUrl, embedOrigins);
}

/** CORS for the public JSON API: blog origins in EMBED_ORIGINS may call it, without cookies. */
export function apiCors(allowed: (origin: string) => boolean): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin === undefined ? false : allowed(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type'],
    credentials: false,
    maxAge: 600,
  });
}
