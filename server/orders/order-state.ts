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

const hasExpired: Guard = (ctx) => (ctx.now.getTime() >= ctx.expiresAt.getTime() ? undefined : 'the order has not expired yet');

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

/** Statuses that no transition leaves. */
export function isFinal(status: OrderStatus): boolean {
  return nextStatuses(status).length === 0;
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}
