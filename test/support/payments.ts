import braintree from 'braintree';
import { StripeCheckoutBrowser, type PageResponse } from './stripe-checkout-browser';
import type { TestStore } from './test-store';
import { cartWith, startCheckout, validCheckoutForm } from './shopper';

/** An order placed through the checkout page, waiting for payment. */
export interface PlacedOrder {
  readonly token: string;
  readonly orderId: number;
  readonly publicId: string;
}

/** Fills a cart, checks out with the given billing details, and returns the pending order. */
export async function placeOrder(
  store: TestStore,
  options: { slug?: string; quantity?: number; form?: Record<string, string>; returnUrl?: string } = {},
): Promise<PlacedOrder> {
  const token = await startCheckout(store, await cartWith(store, options.slug ?? 'enamel-mug', options.quantity ?? 1), options.returnUrl);
  await store.api.post(`/checkout/${token}`).type('form').send(validCheckoutForm(options.form)).expect(303);
  const [row] = await store.dataSource.query(
    'SELECT o.id, o.public_id FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?',
    [token],
  );
  return { token, orderId: Number(row.id), publicId: row.public_id };
}

/** A billing address whose postal code Braintree's sandbox answers with AVS "N" (does not match). */
export const BRAINTREE_AVS_POSTAL_MISMATCH = {
  billingSameAsShipping: '',
  billingName: 'Ada Lovelace',
  billingLine1: '12 Analytical Row',
  billingCity: 'London',
  billingPostalCode: '20000',
  billingCountry: 'US',
};

export async function orderRow(
  store: TestStore,
  orderId: number,
): Promise<{ status: string; review_reason: string | null; total: number }> {
  const [row] = await store.dataSource.query('SELECT status, review_reason, total FROM orders WHERE id = ?', [orderId]);
  return { ...row, total: Number(row.total) };
}

export async function paymentsOf(store: TestStore, orderId: number): Promise<Record<string, unknown>[]> {
  return store.dataSource.query('SELECT * FROM payments WHERE order_id = ? ORDER BY id', [orderId]);
}

export async function orderEvents(store: TestStore, orderId: number): Promise<{ from_status: string | null; to_status: string }[]> {
  return store.dataSource.query('SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY id', [orderId]);
}

/** Waits until `check` passes (callbacks arrive asynchronously), or fails with its last error. */
export async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The official Braintree SDK, pointed at the store's Braintree sandbox (for signing test notifications). */
export function braintreeSdk(store: TestStore): braintree.BraintreeGateway {
  const { merchantId, publicKey, privateKey } = store.config.braintree;
  return new braintree.BraintreeGateway({ environment: braintree.Environment.Sandbox, merchantId, publicKey, privateKey });
}

/** Pays a pending order on the Stripe sandbox's hosted page as a shopper's browser would. */
export class StripeShopper {
  private readonly browser: StripeCheckoutBrowser;

  constructor(private readonly store: TestStore) {
    this.browser = new StripeCheckoutBrowser(store.tls.cert);
  }

  /** Clicks "Pay on the secure payment page": returns the hosted page URL the store redirects to. */
  async goToPaymentPage(token: string): Promise<string> {
    const res = await this.store.api.post(`/checkout/${token}/pay/stripe`).type('form').send({}).expect(303);
    return res.headers.location;
  }

  /** Types a card on the hosted page; returns where the page sends the browser (or its error page). */
  pay(paymentPageUrl: string, cardNumber: string): Promise<PageResponse> {
    return this.browser.pay(paymentPageUrl, { cardNumber });
  }

  /** Follows the gateway's redirect back to the store's return page (path only: the store is served on another port). */
  async returnToStore(successUrl: string): Promise<string> {
    const url = new URL(successUrl);
    const res = await this.store.api.get(`${url.pathname}${url.search}`).expect(303);
    return res.headers.location;
  }
}
