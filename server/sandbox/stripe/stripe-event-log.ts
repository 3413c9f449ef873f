import type Stripe from 'stripe';
import type { Logger } from '../../logger';
import { STRIPE_API_VERSION } from '../../payments/stripe/stripe-client';
import { CallbackSender } from '../callback-sender';
import { newStripeId } from './stripe-sandbox-ids';
import { stripeSignatureHeader } from './stripe-webhook-signature';

/** The events the sandbox emits, one per state change the store's endpoint subscribes to. */
export type SandboxEventSpec =
  | { readonly type: 'checkout.session.completed'; readonly object: Stripe.Checkout.Session }
  | { readonly type: 'checkout.session.expired'; readonly object: Stripe.Checkout.Session }
  | { readonly type: 'charge.refunded'; readonly object: Stripe.Charge }
  | { readonly type: 'charge.dispute.created'; readonly object: Stripe.Dispute };

type SandboxEvent =
  Stripe.CheckoutSessionCompletedEvent | Stripe.CheckoutSessionExpiredEvent | Stripe.ChargeRefundedEvent | Stripe.ChargeDisputeCreatedEvent;

interface StoredEvent {
  readonly event: SandboxEvent;
  /** Whether a delivery got a 2xx; what `events.list` filters on with `delivery_success`. */
  delivered: boolean;
  /** Whether a delivery was ever started (events emitted before the store listens wait for it). */
  sent: boolean;
}

/** Where the store's webhook endpoint is. */
export interface CallbackTarget {
  readonly url: string;
  readonly ca?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `events.list` filters (`GET /v1/events`). */
export interface EventListFilter {
  readonly types?: readonly string[];
  readonly created?: { readonly gt?: number; readonly gte?: number; readonly lt?: number; readonly lte?: number };
  readonly deliverySuccess?: boolean;
  readonly limit: number;
  readonly startingAfter?: string;
  readonly endingBefore?: string;
}

function build(spec: SandboxEventSpec, base: Omit<Stripe.EventBase, 'type' | 'data'>): SandboxEvent {
  // A snapshot: later changes to the object must not rewrite what the event said.
  switch (spec.type) {
    case 'checkout.session.completed':
      return { ...base, type: spec.type, data: { object: structuredClone(spec.object) } };
    case 'checkout.session.expired':
      return { ...base, type: spec.type, data: { object: structuredClone(spec.object) } };
    case 'charge.refunded':
      return { ...base, type: spec.type, data: { object: structuredClone(spec.object) } };
    case 'charge.dispute.created':
      return { ...base, type: spec.type, data: { object: structuredClone(spec.object) } };
  }
}

/**
 * The sandbox account's events: each is kept (for `events.list`) and delivered to the store's
 * webhook endpoint as Stripe delivers it — POSTed as pretty-printed JSON, signed with the
 * endpoint secret at the moment of sending, retried with backoff until a 2xx.
 */
export class StripeEventLog {
  private readonly events: StoredEvent[] = [];
  private target: CallbackTarget | null = null;
  private sender: CallbackSender | null = null;

  constructor(
    private readonly options: {
      readonly webhookSecret: string;
      readonly logger: Logger;
      readonly firstRetryMs?: number;
      readonly now: () => Date;
    },
  ) {}

  /** Records an event and delivers it (now, or once the store's endpoint is known). */
  emit(spec: SandboxEventSpec): Stripe.Event {
    const event = build(spec, {
      id: newStripeId('evt'),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: Math.floor(this.options.now().getTime() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    const stored: StoredEvent = { event, delivered: false, sent: false };
    this.events.push(stored);
    this.deliver(stored);
    return event;
  }

  /**
   * Points deliveries at the store's endpoint; events waiting for one are sent now. Retries
   * still running towards a previous target are abandoned: those events stay undelivered, so
   * `events.list` with `delivery_success=false` reports them.
   */
  setTarget(target: CallbackTarget): void {
    this.sender?.stop();
    this.target = target;
    this.sender = new CallbackSender({ ca: target.ca, logger: this.options.logger, firstRetryMs: this.options.firstRetryMs });
    for (const stored of this.events) if (!stored.sent) this.deliver(stored);
  }

  /** Events newest first, as `GET /v1/events` lists them. */
  list(filter: EventListFilter): { data: Stripe.Event[]; hasMore: boolean } {
    const { types, created, deliverySuccess } = filter;
    let matching = [...this.events]
      .reverse()
      .filter(
        (s) =>
          (!types || types.includes(s.event.type)) &&
          (deliverySuccess === undefined || s.delivered === deliverySuccess) &&
          (!created ||
            ((created.gt === undefined || s.event.created > created.gt) &&
              (created.gte === undefined || s.event.created >= created.gte) &&
              (created.lt === undefined || s.event.created < created.lt) &&
              (created.lte === undefined || s.event.created <= created.lte))),
      );
    if (filter.startingAfter) {
      const at = matching.findIndex((s) => s.event.id === filter.startingAfter);
      matching = at === -1 ? [] : matching.slice(at + 1);
    } else if (filter.endingBefore) {
      const at = matching.findIndex((s) => s.event.id === filter.endingBefore);
      matching = at === -1 ? [] : matching.slice(Math.max(0, at - filter.limit), at);
    }
    const page = matching.slice(0, filter.limit);
    return { data: page.map((s) => this.current(s)), hasMore: matching.length > page.length };
  }

  /** One event as `GET /v1/events/:id` shows it, or null. */
  find(id: string): Stripe.Event | null {
    const stored = this.events.find((s) => s.event.id === id);
    return stored ? this.current(stored) : null;
  }

  /** Everything kept, for tests that check no card data is held. */
  snapshot(): unknown {
    return this.events.map((s) => ({ ...s }));
  }

  /** Abandons pending deliveries and retries. */
  stop(): void {
    this.sender?.stop();
  }

  private current(stored: StoredEvent): Stripe.Event {
    return { ...structuredClone(stored.event), pending_webhooks: stored.delivered ? 0 : 1 };
  }

  private deliver(stored: StoredEvent): void {
    if (!this.target || !this.sender) return;
    stored.sent = true;
    const payload = JSON.stringify(stored.event, null, 2);
    const timestamp = Math.floor(this.options.now().getTime() / 1000);
    this.sender.send(
      {
        url: this.target.url,
        body: payload,
        headers: {
          ...this.target.headers,
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': stripeSignatureHeader(payload, this.options.webhookSecret, timestamp),
        },
      },
      (delivered) => {
        if (delivered) stored.delivered = true;
        this.options.logger.debug({ eventId: stored.event.id, type: stored.event.type, delivered }, 'sandbox stripe event delivery');
      },
    );
  }
}
