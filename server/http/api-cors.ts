import cors from 'cors';
import type { RequestHandler } from 'express';
import { isAllowedOrigin } from '../embed-origins';

/** CORS for the public JSON API: blog origins in EMBED_ORIGINS may call it, without cookies. */
export function apiCors(publicUrl: string, embedOrigins: readonly string[]): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin === undefined ? false : isAllowedOrigin(origin, publicUrl, embedOrigins)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type'],
    credentials: false,
    maxAge: 600,
  });
}
