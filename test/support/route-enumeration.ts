import type { Express } from 'express';

// Express 5's `router` package keeps each layer's mount path as given (`rawPath`: a string, an
// array of strings or a RegExp) and each route's `path` and `methods`; nested routers are layers
// whose handle has its own `stack`. Reading those is what a scanner's spider would find, without
// a hand list that falls behind the code.

/** One route the app answers: its method and its path pattern (`:param`s, `*` for a static tree). */
export interface RouteEntry {
  readonly method: string;
  readonly path: string;
}

interface RouterLayer {
  readonly rawPath?: unknown;
  readonly handle?: { readonly stack?: unknown; readonly name?: string };
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
}

function mountPaths(raw: unknown): string[] {
  if (raw === undefined) return ['/'];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.flatMap(mountPaths);
  // A RegExp mount would need its own filling rules; the store has none, and a new one must be seen.
  throw new Error(`route enumeration: unsupported mount path ${raw instanceof RegExp ? raw.source : typeof raw}`);
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`.replace(/\/$/, '');
  return joined === '' ? '/' : joined;
}

function walk(stack: readonly RouterLayer[], prefix: string, found: Map<string, RouteEntry>): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of mountPaths(layer.route.path)) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          const entry = { method: method.toUpperCase(), path: joinPath(prefix, path) };
          found.set(`${entry.method} ${entry.path}`, entry);
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      for (const path of mountPaths(layer.rawPath)) walk(layer.handle.stack as RouterLayer[], joinPath(prefix, path), found);
    } else if (layer.handle?.name === 'serveStatic') {
      // express.static answers GET (and HEAD) for every file below its mount path.
      for (const path of mountPaths(layer.rawPath)) {
        const entry = { method: 'GET', path: joinPath(joinPath(prefix, path), '*') };
        found.set(`${entry.method} ${entry.path}`, entry);
      }
    }
  }
}

/** Every route of an Express 5 app, read from its router (nested routers and static trees included). */
export function enumerateRoutes(app: Express): RouteEntry[] {
  const found = new Map<string, RouteEntry>();
  walk((app.router as unknown as { stack: RouterLayer[] }).stack, '/', found);
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/**
 * The route classes of issue 11's brief, plus two it does not name (`seo-fragment`: the HTML
 * fragments the WordPress plugin fetches server-side; `health`: the load balancer's probes, liveness and readiness).
 */
export type RouteClass =
  'payment-page' | 'admin' | 'store-page' | 'public-api' | 'callback' | 'static' | 'csp-report' | 'seo-fragment' | 'health';

const CLASS_RULES: ReadonlyArray<readonly [RegExp, RouteClass]> = [
  [/^\/csp-reports$/, 'csp-report'],
  [/^\/(checkout|orders)(\/|$)/, 'payment-page'],
  [/^\/(api\/)?admin(\/|$)/, 'admin'],
  [/^\/$|^\/products(\/|$)/, 'store-page'],
  [/^\/api(\/|$)/, 'public-api'],
  [/^\/webhooks(\/|$)/, 'callback'],
  [/^\/embed\.js$|^\/(assets|images)(\/|$)/, 'static'],
  [/^\/seo(\/|$)/, 'seo-fragment'],
  [/^\/(healthz|readyz)$/, 'health'],
];

/** The class a path belongs to, or null when it fits none (a new route that must be classified). */
export function routeClass(path: string): RouteClass | null {
  return CLASS_RULES.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

/**
 * A real value for parameter `name` of the route at `path` (the same name may mean a cart in one
 * place and a product in another), or for `*`, a real file below a static mount; undefined when
 * there is none.
 */
export type ParamValues = (name: string, path: string) => string | undefined;

/**
 * The route's path with every parameter replaced by its real value. Throws when a parameter has
 * none, so a route with a new parameter cannot be skipped silently.
 */
export function fillRoute(route: RouteEntry, values: ParamValues): string {
  const missing = (name: string): never => {
    throw new Error(`no real value for ${name} of ${route.method} ${route.path}`);
  };
  // One pass over the route's own path: a value that ends in "/*" (encodeURIComponent keeps "*")
  // is a value, never a static mount's wildcard.
  return route.path.replace(/:(\w+)|\/\*$/g, (_match, name: string | undefined) =>
    name === undefined
      ? `/${values('*', route.path) ?? missing('*')}`
      : encodeURIComponent(values(name, route.path) ?? missing(`:${name}`)),
  );
}
