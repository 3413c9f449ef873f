import { isKnownCurrency } from '../../money';
import type { Logger } from '../../logger';
import type { SandboxRoutes } from '../sandbox-app';
import { SandboxPages } from '../sandbox-pages';
import type { SandboxLedger } from './braintree-ledger';

/** What the fields origin's routes answer from. */
export interface FieldsPagesContext {
  readonly ledger: SandboxLedger;
  readonly logger: Logger;
  /** The compiled fields page script. */
  readonly script: string;
  /** This listener's own origin, known once it listens; `/tokenize` accepts requests from it only. */
  readonly ownOrigin: () => string;
}

/** Registers one of the fields origin's resources (the page, the tokenizer). */
export type FieldsPagesRoutes = SandboxRoutes<FieldsPagesContext>;

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

/** `/fields?origin=&amount=&currency=`: the card and PayPal page the store frames, and its script `/fields.js`. */
export const fieldsPageRoutes: FieldsPagesRoutes = (router, { script }) => {
  const pages = new SandboxPages('Braintree');
  router.get('/fields.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(script);
  });
  router.get('/fields', (req, res) => {
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
};
