import type { Request } from 'express';
import type Stripe from 'stripe';
import type { Logger } from '../../logger';
import type { SandboxRoutes } from '../sandbox-app';
import { invalidRequest } from './stripe-api-error';
import type { StripeEventLog } from './stripe-event-log';
import type { StripeLedger } from './stripe-ledger';
import { expandParam, type Params } from './stripe-request-params';

/** What the Stripe API's routes answer from. */
export interface StripeApiContext {
  /** The only secret key the API accepts. */
  readonly secretKey: string;
  readonly ledger: StripeLedger;
  readonly events: StripeEventLog;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Registers one Stripe API resource's routes (`/v1/refunds`, …). */
export type StripeApiRoutes = SandboxRoutes<StripeApiContext>;

/** A POST's form-encoded parameters. */
export const bodyOf = (req: Request): Params => (req.body ?? {}) as Params;
/** A GET's query parameters (bracket notation, parsed by `qs`). */
export const queryOf = (req: Request): Params => req.query;

/** Refuses `expand[]` paths the resource cannot expand, as Stripe does. */
export function expandable(paths: string[], allowed: readonly string[]): void {
  for (const path of paths) {
    if (!allowed.includes(path)) throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
  }
}

/** Whether the request asks for a PaymentIntent's `latest_charge` expanded (the only expansion it allows). */
export function expandsLatestCharge(params: Params): boolean {
  const expand = expandParam(params.expand);
  expandable(expand, ['latest_charge']);
  return expand.includes('latest_charge');
}

/** A PaymentIntent as the API shows it, its latest charge expanded when asked. */
export function paymentIntentView(ledger: StripeLedger, pi: Stripe.PaymentIntent, withCharge: boolean): Stripe.PaymentIntent {
  const view = structuredClone(pi);
  if (withCharge && typeof pi.latest_charge === 'string') view.latest_charge = structuredClone(ledger.charge(pi.latest_charge));
  return view;
}
