/**
 * The one state machine for orders: every status an order can have, the transitions allowed
 * between them, and the guards that must hold for each. Nothing else decides whether a status
 * change is legal; `order-transitions.ts` applies it to the database.
 */

export const ORDER_STATUSES = [
  'pending_payment',
  'on_hold',
  'paid',
  'payment_failed',
  'expired',
  'cancelled',
  'partially_refunded',
  'refunded',
  'shipped',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every order is placed awaiting its payment. */
export const INITIAL_ORDER_STATUS: OrderStatus = 'pending_payment';

/** What a guard may look at: the order's amounts and the facts the caller brings. */
export interface TransitionContext {
  readonly now: Date;
  readonly expiresAt: Date;
  readonly total: number;
  /** Minor units the gateway has confirmed as captured or authorised for this order. */
  readonly confirmedAmount?: number;
  /** Minor units refunded so far, including the refund that causes this transition. */
  readonly refundedAmount?: number;
}

type Guard = (ctx: TransitionContext) => string | undefined;

const paymentCoversTotal: Guard = (ctx) =>
  ctx.confirmedAmount === undefined
    ? 'no confirmed payment'
    : ctx.confirmedAmount < ctx.total
      ? `confirmed payment ${ctx.confirmedAmount} is less than the order total ${ctx.total}`
      : undefined;

/** Whether an order's reservation is over at `now`: the one definition of its time running out. */
const timeIsUp = (at: { readonly now: Date; readonly expiresAt: Date }): boolean => at.now.getTime() >= at.expiresAt.getTime();

const hasExpired = (ctx: { readonly now: Date; readonly expiresAt: Date }): string | undefined =>
  timeIsUp(ctx) ? undefined : 'the order has not expired yet';

const refundIsPartial: Guard = (ctx) =>
  ctx.refundedAmount !== undefined && ctx.refundedAmount > 0 && ctx.refundedAmount < ctx.total
    ? undefined
    : 'a partial refund needs a refunded amount between zero and the total';

const refundIsFull: Guard = (ctx) =>
  ctx.refundedAmount !== undefined && ctx.refundedAmount >= ctx.total ? undefined : 'a full refund needs the whole total refunded';

const always: Guard = () => undefined;

/** The transition table: for each status, the statuses it may move to and the guard of each move. */
const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderStatus, Guard>>>> = {
  pending_payment: {
    paid: paymentCoversTotal,
    on_hold: paymentCoversTotal,
    payment_failed: always,
    expired: hasExpired,
    cancelled: always,
  },
  // Authorised but held for an admin's decision (address check): capture pays, void cancels.
  on_hold: {
    paid: paymentCoversTotal,
    cancelled: always,
    payment_failed: always,
  },
  paid: {
    partially_refunded: refundIsPartial,
    refunded: refundIsFull,
    shipped: always,
  },
  partially_refunded: {
    partially_refunded: refundIsPartial,
    refunded: refundIsFull,
    shipped: always,
  },
  shipped: {
    partially_refunded: refundIsPartial,
    refunded: refundIsFull,
  },
  payment_failed: {},
  expired: {},
  cancelled: {},
  refunded: {},
};

/** Statuses in which the order no longer holds stock: entering one gives its reservation back. */
const RELEASES_STOCK: ReadonlySet<OrderStatus> = new Set(['payment_failed', 'expired', 'cancelled']);

export type TransitionCheck = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Whether `from → to` is in the table and its guard holds. */
export function checkTransition(from: OrderStatus, to: OrderStatus, ctx: TransitionContext): TransitionCheck {
  const guard = TRANSITIONS[from][to];
  if (!guard) return { allowed: false, reason: `an order cannot go from ${from} to ${to}` };
  const refusal = guard(ctx);
  return refusal === undefined ? { allowed: true } : { allowed: false, reason: refusal };
}

/** The statuses reachable from `from` in one step (for admin actions and documentation). */
export function nextStatuses(from: OrderStatus): OrderStatus[] {
  return Object.keys(TRANSITIONS[from]) as OrderStatus[];
}

/**
 * Whether entering `to` gives the order's reserved stock back. Only orders that still hold
 * stock (pending or held) can reach these statuses, so the target alone decides.
 */
export function releasesStock(to: OrderStatus): boolean {
  return RELEASES_STOCK.has(to);
}

/** What a shopper, an admin or a job may ask to do with an order. */
export const ORDER_ACTIONS = ['pay', 'capture', 'void', 'refund', 'cancel', 'ship', 'resync', 'expire'] as const;

export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** What the questions about an order look at besides its status. */
export interface OrderFacts {
  readonly status: OrderStatus;
  readonly expiresAt: Date;
  readonly now: Date;
  /** Minor units captured and not yet refunded, over all its payments (unknown counts as none). */
  readonly refundable?: number;
  /** Whether any payment of the order was started at a gateway (unknown counts as no). */
  readonly hasPaymentAtGateway?: boolean;
}

type FactGuard = (facts: OrderFacts) => string | undefined;

const notExpired: FactGuard = (f) => (timeIsUp(f) ? 'the time to pay this order has run out' : undefined);
const somethingToRefund: FactGuard = (f) => ((f.refundable ?? 0) > 0 ? undefined : 'nothing captured is left to refund');
const paymentAtGateway: FactGuard = (f) =>
  f.hasPaymentAtGateway === true ? undefined : 'no payment of this order was started at a gateway';

/**
 * Each action as the transition it makes (`to`, and the statuses it starts from when the table
 * allows more than the action means) plus the facts it needs. The statuses an action may start
 * from are derived from {@link TRANSITIONS}, so the table stays the one authority. `resync`
 * makes no transition of its own: the gateway's answer goes through the table when applied.
 */
const ACTIONS: Readonly<
  Record<OrderAction, { readonly to: OrderStatus | null; readonly from?: readonly OrderStatus[]; readonly guard?: FactGuard }>
> = {
  // The shopper pays an order awaiting payment (a held one already has its payment).
  pay: { to: 'paid', from: ['pending_payment'], guard: notExpired },
  // An admin captures or voids the authorisation of a held order.
  capture: { to: 'paid', from: ['on_hold'] },
  void: { to: 'cancelled', from: ['on_hold'] },
  // Cancelling an order that is still waiting for its payment.
  cancel: { to: 'cancelled', from: ['pending_payment'] },
  refund: { to: 'refunded', guard: somethingToRefund },
  ship: { to: 'shipped' },
  resync: { to: null, guard: paymentAtGateway },
  // The expiry job closes an unpaid order whose time is up.
  expire: { to: 'expired', guard: hasExpired },
};

/** The statuses from which `action` may be taken, as the transition table allows. */
export function statusesAllowing(action: OrderAction): OrderStatus[] {
  const { to, from } = ACTIONS[action];
  const candidates = from ?? ORDER_STATUSES;
  return candidates.filter((status) => to === null || TRANSITIONS[status][to] !== undefined);
}

/**
 * Whether `action` may be taken on an order now: its status must allow the action's transition
 * in the table, and the action's facts must hold. The refusal reason is written for people.
 */
export function mayTake(action: OrderAction, facts: OrderFacts): TransitionCheck {
  if (!statusesAllowing(action).includes(facts.status)) {
    return { allowed: false, reason: `a ${facts.status.replace(/_/g, ' ')} order cannot be ${ACTION_WORDS[action]}` };
  }
  const refusal = ACTIONS[action].guard?.(facts);
  return refusal === undefined ? { allowed: true } : { allowed: false, reason: refusal };
}

/** The status an action leads to (null for `resync`, whose outcome the gateway decides). */
export function targetOf(action: OrderAction): OrderStatus | null {
  return ACTIONS[action].to;
}

/**
 * Whether an order in `status` is still waiting for the shopper's payment (whatever the clock
 * says: one past its time waits for the expiry job, and a payment arriving meanwhile still counts).
 */
export function awaitsPayment(status: OrderStatus): boolean {
  return statusesAllowing('pay').includes(status);
}

/**
 * Whether `from → to` is the moment a payment is accepted for an order: it leaves awaiting
 * payment paid, or held for an admin's decision. Effects that happen once per order (the admins'
 * new-order e-mail, emptying the shopper's cart) key on this, not on any later move to paid.
 */
export function acceptsPayment(from: OrderStatus, to: OrderStatus): boolean {
  return awaitsPayment(from) && (to === 'paid' || to === 'on_hold');
}

/** The status a paid order moves to once `refundedAmount` of its `total` has been refunded. */
export function statusAfterRefund(total: number, refundedAmount: number): OrderStatus {
  return refundedAmount >= total ? 'refunded' : 'partially_refunded';
}

/** Every action allowed on an order now, in the order of {@link ORDER_ACTIONS}. */
export function allowedActions(facts: OrderFacts): OrderAction[] {
  return ORDER_ACTIONS.filter((action) => mayTake(action, facts).allowed);
}

const ACTION_WORDS: Readonly<Record<OrderAction, string>> = {
  pay: 'paid',
  capture: 'captured',
  void: 'voided',
  refund: 'refunded',
  cancel: 'cancelled',
  ship: 'shipped',
  resync: 're-synced',
  expire: 'expired',
};

/** Statuses that no transition leaves. */
export function isFinal(status: OrderStatus): boolean {
  return nextStatuses(status).length === 0;
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}
