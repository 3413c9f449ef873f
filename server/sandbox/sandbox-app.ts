import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type IRouter, type RequestHandler } from 'express';

/** Registers one resource's routes (an API resource, a page) on a sandbox listener's router. */
export type SandboxRoutes<Context> = (router: IRouter, context: Context) => void;

/** How one sandbox listener is put together, in the order requests meet the parts. */
export interface SandboxAppParts<Context> {
  /** Express settings (`query parser`, …). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** What every request passes first: headers, authentication, body parsers. */
  readonly before?: readonly RequestHandler[];
  /** Each resource's routes. */
  readonly routes: readonly SandboxRoutes<Context>[];
  /** The answer to a path no route takes, shaped as the gateway answers it. */
  readonly notFound: RequestHandler;
  /** The answer to an error a route threw, shaped as the gateway answers it. */
  readonly errors: ErrorRequestHandler;
}

/** The Express app of one sandbox listener (an API or a pages origin), built from its parts. */
export function sandboxApp<Context>(context: Context, parts: SandboxAppParts<Context>): Express {
  const app = express();
  app.disable('x-powered-by');
  for (const [name, value] of Object.entries(parts.settings ?? {})) app.set(name, value);
  for (const handler of parts.before ?? []) app.use(handler);
  for (const register of parts.routes) register(app, context);
  app.use(parts.notFound);
  app.use(parts.errors);
  return app;
}

/** Compares a presented secret (an API key) with the expected one in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
