/**
 * Whether a browser origin may embed the store: the store's own origin, or one of the configured
 * embed origins (an entry ending in `:*` matches any port of that scheme and host).
 */
export function isAllowedOrigin(origin: string, publicUrl: string, embedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === 'null') return false;
  if (parsed.origin === new URL(publicUrl).origin) return true;
  return embedOrigins.some((allowed) => {
    if (allowed.endsWith(':*')) {
      const base = new URL(allowed.slice(0, -2));
      return base.protocol === parsed.protocol && base.hostname === parsed.hostname;
    }
    return allowed === parsed.origin;
  });
}

/** Whether a URL is an http(s) page on an allowed origin: where a shopper may be sent back to. */
export function isAllowedReturnUrl(url: string, publicUrl: string, embedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.username || parsed.password) return false;
  return isAllowedOrigin(parsed.origin, publicUrl, embedOrigins);
}
