import {
  ORDER_STATUSES,
  checkTransition,
  isFinal,
  isOrderStatus,
  nextStatuses,
  releasesStock,
  type OrderStatus,
  type TransitionContext,
} from '../../server/orders/order-state';

const EXPIRES_AT = new Date('2026-01-01T12:00:00Z');

/** A context in which every guard holds for a transition to `to`. */
function satisfying(to: OrderStatus): TransitionContext {
  const base = { now: new Date('2026-01-01T12:30:00Z'), expiresAt: EXPIRES_AT, total: 5000, confirmedAmount: 5000 };
  if (to === 'partially_refunded') return { ...base, refundedAmount: 1000 };
  if (to === 'refunded') return { ...base, refundedAmount: 5000 };
  return base;
}

const ALLOWED: ReadonlyArray<[OrderStatus, OrderStatus]> = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'on_hold'],
  ['pending_payment', 'payment_failed'],
  ['pending_payment', 'expired'],
  ['pending_payment', 'cancelled'],
  ['on_hold', 'paid'],
  ['on_hold', 'cancelled'],
  ['on_hold', 'payment_failed'],
  ['paid', 'refunded'],
  ['paid', 'partially_refunded'],
  ['paid', 'shipped'],
  ['partially_refunded', 'partially_refunded'],
  ['partially_refunded', 'refunded'],
  ['partially_refunded', 'shipped'],
  ['shipped', 'partially_refunded'],
  ['shipped', 'refunded'],
];

describe('order transition table', () => {
  it.each(ALLOWED)('allows %s → %s when its guard holds', (from, to) => {
    expect(checkTransition(from, to, satisfying(to))).toEqual({ allowed: true });
  });

  it('allows nothing outside the table', () => {
    const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        if (allowed.has(`${from}→${to}`)) continue;
        const check = checkTransition(from, to, satisfying(to));
        expect({ from, to, allowed: check.allowed }).toEqual({ from, to, allowed: false });
      }
    }
  });

  it.each<[OrderStatus, OrderStatus]>([
    ['paid', 'pending_payment'],
    ['expired', 'paid'],
    ['pending_payment', 'shipped'],
    ['cancelled', 'paid'],
    ['shipped', 'paid'],
  ])('refuses %s → %s with a reason naming both statuses', (from, to) => {
    const check = checkTransition(from, to, satisfying(to));
    expect(check).toEqual({ allowed: false, reason: expect.stringContaining(from) });
    expect(check.allowed === false && check.reason).toContain(to);
  });

  it.each(ORDER_STATUSES)('refuses refunded → %s', (to) => {
    expect(checkTransition('refunded', to, satisfying(to)).allowed).toBe(false);
  });

  it('lists the next statuses of every status without throwing', () => {
    for (const status of ORDER_STATUSES) {
      expect(() => nextStatuses(status)).not.toThrow();
    }
    expect(new Set(nextStatuses('pending_payment'))).toEqual(new Set(['paid', 'on_hold', 'payment_failed', 'expired', 'cancelled']));
    expect(new Set(nextStatuses('on_hold'))).toEqual(new Set(['paid', 'cancelled', 'payment_failed']));
    expect(new Set(nextStatuses('paid'))).toEqual(new Set(['refunded', 'partially_refunded', 'shipped']));
  });
});

describe('guards', () => {
  const ctx = { now: new Date('2026-01-01T11:00:00Z'), expiresAt: EXPIRES_AT, total: 5000 };

  describe('→ paid (and → on_hold)', () => {
    it('needs a confirmed payment', () => {
      const check = checkTransition('pending_payment', 'paid', ctx);
      expect(check).toEqual({ allowed: false, reason: expect.stringMatching(/no confirmed payment/) });
    });

    it('refuses a confirmed amount below the total', () => {
      const check = checkTransition('pending_payment', 'paid', { ...ctx, confirmedAmount: 4999 });
      expect(check).toEqual({ allowed: false, reason: expect.stringContaining('4999') });
      expect(checkTransition('on_hold', 'paid', { ...ctx, confirmedAmount: 4999 }).allowed).toBe(false);
      expect(checkTransition('pending_payment', 'on_hold', { ...ctx, confirmedAmount: 4999 }).allowed).toBe(false);
    });

    it('accepts a confirmed amount equal to or above the total', () => {
      expect(checkTransition('pending_payment', 'paid', { ...ctx, confirmedAmount: 5000 }).allowed).toBe(true);
      expect(checkTransition('pending_payment', 'paid', { ...ctx, confirmedAmount: 5001 }).allowed).toBe(true);
    });
  });

  describe('→ expired', () => {
    it('is refused before expiresAt', () => {
      const check = checkTransition('pending_payment', 'expired', { ...ctx, now: new Date(EXPIRES_AT.getTime() - 1) });
      expect(check).toEqual({ allowed: false, reason: expect.stringMatching(/not expired/) });
    });

    it('is allowed at and after expiresAt', () => {
      expect(checkTransition('pending_payment', 'expired', { ...ctx, now: EXPIRES_AT }).allowed).toBe(true);
      expect(checkTransition('pending_payment', 'expired', { ...ctx, now: new Date(EXPIRES_AT.getTime() + 1) }).allowed).toBe(true);
    });
  });

  describe('→ partially_refunded', () => {
    it.each([undefined, 0, 5000, 6000])('refuses a refunded amount of %p (total 5000)', (refundedAmount) => {
      const check = checkTransition('paid', 'partially_refunded', { ...ctx, refundedAmount });
      expect(check).toEqual({ allowed: false, reason: expect.stringMatching(/partial refund/) });
    });

    it.each([1, 2500, 4999])('allows a refunded amount of %i (total 5000)', (refundedAmount) => {
      expect(checkTransition('paid', 'partially_refunded', { ...ctx, refundedAmount }).allowed).toBe(true);
    });
  });

  describe('→ refunded', () => {
    it.each([undefined, 0, 4999])('refuses a refunded amount of %p (total 5000)', (refundedAmount) => {
      const check = checkTransition('paid', 'refunded', { ...ctx, refundedAmount });
      expect(check).toEqual({ allowed: false, reason: expect.stringMatching(/full refund/) });
    });

    it.each([5000, 5001])('allows a refunded amount of %i (total 5000)', (refundedAmount) => {
      expect(checkTransition('shipped', 'refunded', { ...ctx, refundedAmount }).allowed).toBe(true);
    });
  });
});

describe('releasesStock', () => {
  it('is true exactly for payment_failed, expired and cancelled', () => {
    const releasing = ORDER_STATUSES.filter(releasesStock);
    expect(new Set(releasing)).toEqual(new Set(['payment_failed', 'expired', 'cancelled']));
  });
});

describe('isFinal', () => {
  it('is true exactly for payment_failed, expired, cancelled and refunded', () => {
    const final = ORDER_STATUSES.filter(isFinal);
    expect(new Set(final)).toEqual(new Set(['payment_failed', 'expired', 'cancelled', 'refunded']));
  });
});

describe('isOrderStatus', () => {
  it('recognises the statuses and nothing else', () => {
    expect(ORDER_STATUSES.every(isOrderStatus)).toBe(true);
    expect(isOrderStatus('PAID')).toBe(false);
    expect(isOrderStatus('toString')).toBe(false);
    expect(isOrderStatus('')).toBe(false);
  });
});
