import type { Response } from 'express';
import type { Logger } from '../../logger';
import type { SandboxRoutes } from '../sandbox-app';
import type { SandboxLedger } from './braintree-ledger';
import type { SandboxResult } from './braintree-sandbox-records';
import { errorResponseXml, transactionXml } from './braintree-wire-format';

/** What the Braintree API's routes answer from. */
export interface BraintreeApiContext {
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly ledger: SandboxLedger;
  readonly logger: Logger;
}

/** Registers one Braintree API resource's routes, under `/merchants/:merchantId`. */
export type BraintreeApiRoutes = SandboxRoutes<BraintreeApiContext>;

/** A JSON request body (or part of one) as the SDK sends it, with underscored keys. */
export type Body = Record<string, unknown>;

export const asRecord = (value: unknown): Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
export const asStrings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

export function sendXml(res: Response, status: number, xml: string): void {
  res.status(status).type('application/xml; charset=utf-8').send(xml);
}

/** A transaction, a validation failure (422 with the errors), or 404 for an unknown transaction. */
export function sendResult(res: Response, result: SandboxResult | undefined, createdStatus = 200): void {
  if (!result) {
    res.status(404).end();
    return;
  }
  if (result.ok) sendXml(res, createdStatus, transactionXml(result.transaction));
  else sendXml(res, 422, errorResponseXml(result.errors, result.message, result.transaction));
}
