import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { isKnownCurrency } from '../../money';
import type { Logger } from '../../logger';
import { SandboxPages, sandboxStylesheet } from '../sandbox-pages';
import type { SandboxLedger } from './braintree-ledger';
import { tokenize } from './braintree-tokenize';

export interface FieldsPagesOptions {
  readonly ledger: SandboxLedger;
  readonly logger: Logger;
  /** The compiled fields page script. */
  readonly script: string;
  /** This listener's own origin, known once it listens; `/tokenize` accepts requests from it only. */
  readonly ownOrigin: () => string;
}

/** An http(s) origin exactly (`https://shop.example:8443`), or null. */
function parseOrigin(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? url.origin : null;
  } catch {
    return null;
  }
}

function fieldsPolicy(storeOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    // The form is only ever sent by the script; without it, nothing is submitted anywhere.
    "form-action 'none'",
    `frame-ancestors ${storeOrigin}`,
  ].join('; ');
}

/**
 * The sandbox's in-page fields, served on its own HTTPS origin like Braintree's iframes: the
 * card and PayPal page the store frames (`/fields`), its script (`/fields.js`) and the endpoint
 * that turns card details into a one-time nonce (`/tokenize`). Card details are posted to this
 * origin only; the store receives the nonce by `postMessage`.
 */
export function braintreeFieldsApp(options: FieldsPagesOptions): Express {
  const app = express();
  const pages = new SandboxPages('Braintree');
  app.disable('x-powered-by');
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  app.get('/sandbox.css', sandboxStylesheet);
  app.get('/fields.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(options.script);
  });

  app.get('/fields', (req, res) => {
    const storeOrigin = parseOrigin(req.query.origin);
    const amount = typeof req.query.amount === 'string' && /^\d{1,12}(\.\d{1,3})?$/.test(req.query.amount) ? req.query.amount : null;
    const currency = typeof req.query.currency === 'string' && isKnownCurrency(req.query.currency) ? req.query.currency : null;
    if (!storeOrigin || !amount || !currency) {
      res.status(400).type('text/plain').send('The fields page needs origin (an http(s) origin), amount and currency.');
      return;
    }
    res
      .set({ 'Content-Security-Policy': fieldsPolicy(storeOrigin), 'Cache-Control': 'no-store' })
      .type('html')
      .send(pages.render('braintree-fields', 'Card or PayPal', { storeOrigin, amountLabel: `${amount} ${currency}` }, 'fields'));
  });

  app.post('/tokenize', express.json({ limit: '8kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== options.ownOrigin()) {
      res.status(403).json({ error: { code: 'forbidden_origin', message: 'Card details are accepted from the fields page only.' } });
      return;
    }
    const outcome = tokenize(req.body, new Date());
    if (!outcome.ok) {
      res.status(422).json({ error: { code: 'card_invalid', message: outcome.message } });
      return;
    }
    const nonce = options.ledger.mintNonce(outcome.method);
    options.logger.debug({ kind: outcome.method.kind }, 'braintree sandbox: nonce minted');
    res.status(201).json({ nonce, details: outcome.details });
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found');
  });
  // Never echo or log the request: a body that failed to parse may hold card details.
  app.use((err: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status && err.status < 500 ? err.status : 500).json({ error: { code: 'bad_request', message: 'The request could not be read.' } });
  });
  return app;
}
