/**
 * The state machine of one payment attempt, beside the order's: the statuses a payment can have
 * as the store last learned them from its gateway, and which moves between them are allowed.
 * Events arriving late or out of order cannot move a payment backwards: nothing that ended goes
 * back to pending, an authorisation is only captured or voided, and a capture is only undone by a
 * void before settlement (the gateway then reports it cancelled).
 */

export const PAYMENT_STATUSES = ['created', 'pending', 'declined', 'expired', 'cancelled', 'authorised', 'captured'] as const;

/** Where one payment attempt stands, as the store last learned it from the gateway. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ['pending', 'declined', 'expired', 'cancelled', 'authorised', 'captured'],
  pending: ['declined', 'expired', 'cancelled', 'authorised', 'captured'],
  // A declined card may be retried on the same payment page.
  declined: ['pending', 'expired', 'cancelled', 'authorised', 'captured'],
  // A page that expired or was closed may still report a payment the shopper completed just before.
  expired: ['cancelled', 'authorised', 'captured'],
  cancelled: ['expired', 'authorised', 'captured'],
  authorised: ['captured', 'cancelled'],
  captured: ['cancelled'],
};

/** Whether a payment may move from `from` to `to` (never to the status it already has). */
export function paymentMayMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

/** The statuses a payment may move to from `from`. */
export function nextPaymentStatuses(from: PaymentStatus): readonly PaymentStatus[] {
  return PAYMENT_TRANSITIONS[from];
}

/** Whether the gateway page of a payment in `status` may still take the shopper's payment (open, or declined and retryable). */
export function pageMayStillBePaid(status: PaymentStatus): boolean {
  return status === 'pending' || paymentMayMove(status, 'pending');
}

/** Statuses in which a payment is still open at its gateway: a shopper may yet pay it. */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = ['created', 'pending'];

/** Statuses in which a payment holds the shopper's money (authorised or taken). */
export const MONEY_HOLDING_STATUSES: readonly PaymentStatus[] = ['authorised', 'captured'];
