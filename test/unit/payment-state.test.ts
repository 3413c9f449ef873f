import {
  nextPaymentStatuses,
  pageMayStillBePaid,
  PAYMENT_STATUSES,
  paymentMayMove,
  type PaymentStatus,
} from '../../server/orders/payment-state';

// Written out by hand from the gateways' documented lifecycles, not derived from the table, so a
// change to the table shows here.
const ALLOWED: ReadonlyArray<[PaymentStatus, PaymentStatus]> = [
  ['created', 'pending'],
  ['created', 'declined'],
  ['created', 'expired'],
  ['created', 'cancelled'],
  ['created', 'authorised'],
  ['created', 'captured'],
  ['pending', 'declined'],
  ['pending', 'expired'],
  ['pending', 'cancelled'],
  ['pending', 'authorised'],
  ['pending', 'captured'],
  ['declined', 'pending'],
  ['declined', 'expired'],
  ['declined', 'cancelled'],
  ['declined', 'authorised'],
  ['declined', 'captured'],
  ['expired', 'cancelled'],
  ['expired', 'authorised'],
  ['expired', 'captured'],
  ['cancelled', 'expired'],
  ['cancelled', 'authorised'],
  ['cancelled', 'captured'],
  ['authorised', 'captured'],
  ['authorised', 'cancelled'],
  ['captured', 'cancelled'],
];

describe('payment status transition table', () => {
  it('allows exactly the listed moves, over every pair of statuses', () => {
    const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        expect({ move: `${from}→${to}`, allowed: paymentMayMove(from, to) }).toEqual({
          move: `${from}→${to}`,
          allowed: allowed.has(`${from}→${to}`),
        });
      }
    }
  });

  it('never moves a payment to the status it has, nor back to pending once it ended', () => {
    for (const status of PAYMENT_STATUSES) expect(paymentMayMove(status, status)).toBe(false);
    for (const ended of ['expired', 'cancelled', 'authorised', 'captured'] as const) expect(paymentMayMove(ended, 'pending')).toBe(false);
  });

  it('only voids a capture (before settlement): it is never declined or un-captured', () => {
    expect(nextPaymentStatuses('captured')).toEqual(['cancelled']);
    expect(new Set(nextPaymentStatuses('authorised'))).toEqual(new Set(['captured', 'cancelled']));
  });

  it('offers a gateway page again only while it is open or its card was declined', () => {
    expect(PAYMENT_STATUSES.filter(pageMayStillBePaid)).toEqual(['created', 'pending', 'declined']);
  });
});
