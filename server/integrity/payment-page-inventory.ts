import type { BrowserOrigins } from '../browser-origins';
import type { GatewayId } from '../payments/payment-gateway';

// The payment-page script inventory (PCI DSS v4 requirement 6.4.3): every script the pages that
// start or complete a payment may load, and why each one is there. The store's own scripts are
// listed by path and carry an `integrity` hash made at build time (public/build/integrity.json);
// a gateway's scripts, frames and endpoints are listed by origin, as each gateway declares them
// (server/payments/<gateway>/). The Content-Security-Policy of these pages is generated from this
// inventory (payment-page-policy.ts), and `npm run check:payment-pages` compares what the running
// store serves with it (requirement 11.6.1). A change to the pages' scripts starts here.

/** The pages on which a shopper starts or completes a payment. */
export type PaymentPageId = 'checkout-form' | 'pay-step' | 'order-status';

export interface PaymentPage {
  readonly id: PaymentPageId;
  readonly path: string;
  readonly what: string;
}

export const PAYMENT_PAGES: readonly PaymentPage[] = [
  {
    id: 'checkout-form',
    path: '/checkout/:token',
    what: 'The checkout form: contact, shipping and billing address, shipping method. No payment data.',
  },
  {
    id: 'pay-step',
    path: '/checkout/:token (once the order is placed)',
    what: "The pay step: a button to the gateway's hosted page (Stripe) and/or the gateway's own card fields in a frame (Braintree).",
  },
  {
    id: 'order-status',
    path: '/orders/:publicId',
    what: 'The order page the gateway sends the shopper back to; it asks the gateway whether the payment went through.',
  },
];

/** One of the store's own scripts, served from /assets with an `integrity` attribute. */
export interface StoreScript {
  /** The URL path it is served at. */
  readonly src: string;
  /** Its TypeScript source, bundled by `npm run build:embed`. */
  readonly source: string;
  readonly pages: readonly PaymentPageId[];
  /** Present only while this gateway is offered. */
  readonly gateway?: GatewayId;
  readonly why: string;
}

export const STORE_SCRIPTS: readonly StoreScript[] = [
  {
    src: '/assets/secure-context.js',
    source: 'public/checkout/secure-context.ts',
    pages: ['checkout-form', 'pay-step', 'order-status'],
    why: 'Shows the padlock and "Secure checkout" only when the browser reports a secure HTTPS context, and a warning otherwise. Reads nothing from the page and sends nothing.',
  },
  {
    src: '/assets/braintree-fields.js',
    source: 'public/checkout/braintree-fields.ts',
    pages: ['pay-step'],
    gateway: 'braintree',
    why: "Mounts Braintree's own fields (Drop-in from js.braintreegateway.com, pinned version; or the local sandbox's fields frame) and submits the one-time nonce they return. Card data is typed only inside the gateway's frames; this script never sees it.",
  },
];

/** The CSP directive each kind of gateway access becomes. */
export const GATEWAY_DIRECTIVES = {
  scripts: 'script-src',
  frames: 'frame-src',
  connections: 'connect-src',
  styles: 'style-src',
  navigations: 'form-action',
} as const satisfies Record<keyof BrowserOrigins, string>;

export type GatewayAccess = keyof typeof GATEWAY_DIRECTIVES;

/** Why each gateway needs each kind of access on the pay step; the origins themselves come from the gateway. */
const GATEWAY_REASONS: Readonly<Record<GatewayId, Partial<Record<GatewayAccess, string>>>> = {
  stripe: {
    navigations:
      "Stripe Checkout, Stripe's hosted payment page: the pay button posts to the store, which redirects the shopper there (form-action governs that redirect). No Stripe script runs on the store's pages.",
  },
  braintree: {
    scripts:
      "Braintree Drop-in (js.braintreegateway.com) and the scripts it loads itself (assets.braintreegateway.com; PayPal's www.paypalobjects.com and *.paypal.com), as Braintree's CSP guide lists them. With the local sandbox there are none.",
    frames:
      "The card and PayPal fields: frames on Braintree's (or PayPal's) origin, where the card number is typed. With the local sandbox, the sandbox's own fields page.",
    connections: "Drop-in's calls to Braintree's client API and analytics, and PayPal's.",
    styles: 'Drop-in and PayPal inject their own styles (inline styles only; inline scripts stay forbidden).',
  },
};

/** A gateway's script, frame, endpoint, stylesheet or form target, by origin. */
export interface GatewaySource {
  readonly gateway: GatewayId;
  readonly access: GatewayAccess;
  readonly directive: (typeof GATEWAY_DIRECTIVES)[GatewayAccess];
  readonly origin: string;
  readonly why: string;
}

/** The inventory for the gateways a store offers. */
export interface PaymentPageInventory {
  readonly pages: readonly PaymentPage[];
  readonly storeScripts: readonly StoreScript[];
  readonly gatewaySources: readonly GatewaySource[];
}

/** What the inventory needs to know of an offered gateway. */
export interface InventoryGateway {
  readonly id: GatewayId;
  readonly browserOrigins: BrowserOrigins;
}

/**
 * The inventory of a store offering these gateways: the store's scripts for them, and every
 * origin each gateway declares, with the reason it is allowed.
 *
 * @throws Error when a gateway declares an access this file gives no reason for, so nothing
 *   reaches the payment pages' policy unexplained
 */
export function paymentPageInventory(gateways: readonly InventoryGateway[]): PaymentPageInventory {
  const offered = new Set(gateways.map((g) => g.id));
  const gatewaySources: GatewaySource[] = [];
  for (const gateway of gateways) {
    for (const access of Object.keys(GATEWAY_DIRECTIVES) as GatewayAccess[]) {
      for (const origin of gateway.browserOrigins[access] ?? []) {
        const why = GATEWAY_REASONS[gateway.id][access];
        if (!why) throw new Error(`The payment-page inventory gives no reason for ${gateway.id}'s ${access} (${origin}): add one`);
        gatewaySources.push({ gateway: gateway.id, access, directive: GATEWAY_DIRECTIVES[access], origin, why });
      }
    }
  }
  return {
    pages: PAYMENT_PAGES,
    storeScripts: STORE_SCRIPTS.filter((s) => s.gateway === undefined || offered.has(s.gateway)),
    gatewaySources,
  };
}
