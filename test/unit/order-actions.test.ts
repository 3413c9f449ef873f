import {
  acceptsPayment,
  allowedActions,
  mayTake,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  statusAfterRefund,
  statusesAllowing,
  type OrderAction,
  type OrderFacts,
  type OrderStatus,
} from '../../server/orders/order-state';

const EXPIRES_AT = new Date('2026-01-01T12:00:00Z');
const BEFORE = new Date('2026-01-01T11:59:59Z');
const AFTER = new Date('2026-01-01T12:00:00Z');

/** Facts under which every action's own condition holds: only the status decides. */
const favourable = (status: OrderStatus, now = BEFORE): OrderFacts => ({
  status,
  expiresAt: EXPIRES_AT,
  now,
  refundable: 100,
  hasPaymentAtGateway: true,
});

// Which action each status allows, written out by hand (what a shopper and an admin expect).
const EXPECTED: Readonly<Record<OrderStatus, readonly OrderAction[]>> = {
  pending_payment: ['pay', 'cancel', 'resync'],
  on_hold: ['capture', 'void', 'resync'],
  paid: ['refund', 'ship', 'resync'],
  partially_refunded: ['refund', 'ship', 'resync'],
  shipped: ['refund', 'resync'],
  payment_failed: ['resync'],
  expired: ['resync'],
  cancelled: ['resync'],
  refunded: ['resync'],
};

describe('what the state machine allows, for every (status, action) pair', () => {
  it.each(ORDER_STATUSES.flatMap((status) => ORDER_ACTIONS.filter((a) => a !== 'expire').map((action) => [status, action] as const)))(
    '%s: %s',
    (status, action) => {
      const check = mayTake(action, favourable(status));
      expect(check.allowed).toBe(EXPECTED[status].includes(action));
      if (!check.allowed) expect(check.reason).toMatch(/cannot be/);
    },
  );

  it('lists the allowed actions in a fixed order', () => {
    for (const status of ORDER_STATUSES) expect(allowedActions(favourable(status))).toEqual(EXPECTED[status]);
  });
});

describe("the actions' own conditions", () => {
  it('pay: only before the reservation runs out', () => {
    expect(mayTake('pay', favourable('pending_payment', BEFORE)).allowed).toBe(true);
    expect(mayTake('pay', favourable('pending_payment', AFTER))).toEqual({ allowed: false, reason: expect.stringMatching(/run out/) });
  });

  it('expire: only a pending order, and only once its time is up', () => {
    expect(mayTake('expire', favourable('pending_payment', BEFORE)).allowed).toBe(false);
    expect(mayTake('expire', favourable('pending_payment', AFTER)).allowed).toBe(true);
    expect(statusesAllowing('expire')).toEqual(['pending_payment']);
  });

  it('refund: only with something captured left to refund (unknown counts as nothing)', () => {
    expect(mayTake('refund', { ...favourable('paid'), refundable: 0 })).toEqual({
      allowed: false,
      reason: expect.stringMatching(/nothing captured/),
    });
    const { refundable: _dropped, ...unknown } = favourable('paid');
    expect(mayTake('refund', unknown).allowed).toBe(false);
  });

  it('resync: only with a payment started at a gateway', () => {
    expect(mayTake('resync', { ...favourable('paid'), hasPaymentAtGateway: false }).allowed).toBe(false);
  });

  it('a refund leaves an order partially refunded until the whole total is back', () => {
    expect(statusAfterRefund(5000, 1)).toBe('partially_refunded');
    expect(statusAfterRefund(5000, 4999)).toBe('partially_refunded');
    expect(statusAfterRefund(5000, 5000)).toBe('refunded');
  });
});

describe('acceptsPayment', () => {
  it('is the one move out of awaiting payment into paid or held, never a later capture', () => {
    const accepting = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => acceptsPayment(from, to)).map((to) => `${from}→${to}`),
    );
    expect(accepting).toEqual(['pending_payment→on_hold', 'pending_payment→paid']);
  });
});
