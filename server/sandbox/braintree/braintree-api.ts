import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../logger';
import type { SaleInput, SandboxLedger, SearchCriteria } from './braintree-ledger';
import type { SandboxBilling, SandboxResult } from './braintree-sandbox-records';
import { clientTokenXml, errorResponseXml, searchResultsXml, transactionPageXml, transactionXml } from './braintree-wire-format';

export interface BraintreeApiOptions {
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly ledger: SandboxLedger;
  readonly logger: Logger;
}

const PAGE_SIZE = 50;
/** The oldest API version the SDK may speak (braintree-node 3.x sends `X-ApiVersion: 6`). */
const MIN_API_VERSION = 6;

type Body = Record<string, unknown>;

const asRecord = (value: unknown): Body => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {});
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const asStrings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

function sendXml(res: Response, status: number, xml: string): void {
  res.status(status).type('application/xml; charset=utf-8').send(xml);
}

function sendResult(res: Response, result: SandboxResult | undefined, createdStatus = 200): void {
  if (!result) {
    res.status(404).end();
    return;
  }
  if (result.ok) sendXml(res, createdStatus, transactionXml(result.transaction));
  else sendXml(res, 422, errorResponseXml(result.errors, result.message, result.transaction));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readSale(body: Body): SaleInput {
  const t = asRecord(body.transaction);
  const billing = asRecord(t.billing);
  const text = (key: string) => asString(billing[key]);
  const sandboxBilling: SandboxBilling = {
    firstName: text('first_name'),
    lastName: text('last_name'),
    streetAddress: text('street_address'),
    extendedAddress: text('extended_address'),
    locality: text('locality'),
    region: text('region'),
    postalCode: text('postal_code'),
    countryCodeAlpha2: text('country_code_alpha2'),
  };
  return {
    amount: asString(t.amount),
    paymentMethodNonce: asString(t.payment_method_nonce),
    orderId: asString(t.order_id),
    merchantAccountId: asString(t.merchant_account_id),
    customerEmail: asString(asRecord(t.customer).email),
    billing: sandboxBilling,
    submitForSettlement: asRecord(t.options).submit_for_settlement === true,
  };
}

/** Reads a search body; undefined when it asks for something the sandbox does not answer. */
function readSearch(body: Body): SearchCriteria | undefined {
  const search = asRecord(body.search);
  const criteria: { -readonly [K in keyof SearchCriteria]: SearchCriteria[K] } = {};
  for (const [field, value] of Object.entries(search)) {
    const node = asRecord(value);
    switch (field) {
      case 'ids':
        criteria.ids = asStrings(value);
        break;
      case 'order_id':
        if (Object.keys(node).some((op) => op !== 'is')) return undefined;
        criteria.orderId = asString(node.is);
        break;
      case 'status':
        criteria.statuses = asStrings(value);
        break;
      case 'type':
        criteria.types = asStrings(value);
        break;
      case 'created_at': {
        const min = asString(node.min);
        const max = asString(node.max);
        if (min) criteria.createdAtMin = new Date(min);
        if (max) criteria.createdAtMax = new Date(max);
        break;
      }
      default:
        return undefined;
    }
  }
  return criteria;
}

/**
 * The sandbox's Braintree API: the XML-over-HTTP gateway the official SDK calls (JSON request
 * bodies with underscored keys, XML responses, HTTP Basic authentication with the public and
 * private keys). Only the calls the store makes are answered; anything else is 404, which the
 * SDK reports as `notFoundError`.
 */
export function braintreeApiApp(options: BraintreeApiOptions): Express {
  const { ledger, logger, merchantId } = options;
  const app = express();
  app.disable('x-powered-by');

  app.use((req: Request, res: Response, next: NextFunction) => {
    logger.debug({ method: req.method, path: req.path }, 'braintree sandbox api');
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [publicKey, privateKey] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    if (scheme !== 'Basic' || !sameSecret(publicKey ?? '', options.publicKey) || !sameSecret(privateKey ?? '', options.privateKey)) {
      res.status(401).end();
      return;
    }
    const version = Number(req.headers['x-apiversion']);
    if (!Number.isInteger(version) || version < MIN_API_VERSION) {
      res.status(426).end();
      return;
    }
    next();
  });
  app.use(express.json({ limit: '256kb' }));

  const merchant = express.Router({ mergeParams: true });
  app.use('/merchants/:merchantId', (req: Request<{ merchantId: string }>, res: Response, next: NextFunction) => {
    if (req.params.merchantId !== merchantId) res.status(404).end();
    else next();
  }, merchant);

  merchant.post('/client_token', (req, res) => {
    const params = asRecord(asRecord(req.body).client_token);
    const accountId = asString(params.merchant_account_id);
    if (!ledger.merchantAccount(accountId)) {
      sendXml(res, 422, errorResponseXml([{ scope: ['clientToken'], attribute: 'merchant_account_id', code: '92807', message: 'Merchant account does not exist.' }], 'Merchant account does not exist.'));
      return;
    }
    // Shaped like a Braintree client token (base64 JSON), though only the sandbox's fields page is meant to use it.
    const token = Buffer.from(
      JSON.stringify({ version: 2, authorizationFingerprint: randomBytes(24).toString('hex'), environment: 'padlock-sandbox', merchantId, merchantAccountId: accountId ?? null }),
    ).toString('base64');
    sendXml(res, 201, clientTokenXml(token));
  });

  merchant.post('/transactions', (req, res) => {
    const result = ledger.sale(readSale(asRecord(req.body)));
    sendResult(res, result, 201);
  });

  merchant.post('/transactions/advanced_search_ids', (req, res) => {
    const criteria = readSearch(asRecord(req.body));
    if (!criteria) {
      res.status(400).end();
      return;
    }
    sendXml(res, 200, searchResultsXml(ledger.search(criteria), PAGE_SIZE));
  });

  merchant.post('/transactions/advanced_search', (req, res) => {
    const criteria = readSearch(asRecord(req.body));
    if (!criteria) {
      res.status(400).end();
      return;
    }
    const page = ledger.search(criteria).slice(0, PAGE_SIZE);
    sendXml(res, 200, transactionPageXml(page.map((id) => ledger.find(id)).filter((t) => t !== undefined), PAGE_SIZE));
  });

  merchant.get('/transactions/:id', (req, res) => {
    const transaction = ledger.find(req.params.id as string);
    if (transaction) sendXml(res, 200, transactionXml(transaction));
    else res.status(404).end();
  });

  merchant.put('/transactions/:id/submit_for_settlement', (req, res) => {
    const amount = asString(asRecord(asRecord(req.body).transaction).amount);
    sendResult(res, ledger.submitForSettlement(req.params.id as string, amount));
  });

  merchant.put('/transactions/:id/void', (req, res) => {
    sendResult(res, ledger.void(req.params.id as string));
  });

  merchant.post('/transactions/:id/refund', (req, res) => {
    const amount = asString(asRecord(asRecord(req.body).transaction).amount);
    sendResult(res, ledger.refund(req.params.id as string, amount), 201);
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).end();
  });
  // Only the status and kind are logged: a parser's message may quote the request body.
  app.use((err: { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    logger.warn({ method: req.method, path: req.path, status, type: err.type }, 'braintree sandbox api error');
    res.status(status).end();
  });
  return app;
}
