import type { RequestHandler } from 'express';

/**
 * Sends every plain-HTTP request to the same path on the store's HTTPS origin (308 keeps the
 * method and body), except the health check. The target is built from PUBLIC_URL, never from the
 * Host header, so the redirect cannot be pointed elsewhere.
 */
export function requireHttps(publicUrl: string): RequestHandler {
  return (req, res, next) => {
    if (req.secure) return next();
    if (req.method === 'GET' && req.path === '/healthz') return next();
    res.redirect(308, `${publicUrl}${req.originalUrl}`);
  };
}
