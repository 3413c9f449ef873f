import { checksFailed, decideSettlement, type SettlementInput } from '../../server/payments/settlement-decision';
import type { AvsResult, PaymentOutcome } from '../../server/payments/payment-gateway';

const PASS: AvsResult = { street: 'pass', postalCode: 'pass', cvc: 'pass', raw: {} };
const STREET_FAIL: AvsResult = { ...PASS, street: 'fail' };
const usd = (amount: number) => ({ amount, currency: 'USD' });
const captured = (avs: AvsResult = PASS): PaymentOutcome => ({ status: 'captured', paymentRef: 'pi_1', amount: usd(6900), avs });
const authorised = (avs: AvsResult = PASS): PaymentOutcome => ({ status: 'authorised', paymentRef: 'pi_1', amount: usd(6900), avs });

function decide(overrides: Partial<SettlementInput>) {
  return decideSettlement({
    policy: 'flag',
    orderStatus: 'pending_payment',
    paymentStatus: 'pending',
    outcome: captured(),
    otherPaymentHoldsMoney: false,
    ...overrides,
  });
}

describe('decideSettlement', () => {
  it('pays a pending order when the payment is captured with passing checks', () => {
    expect(decide({})).toEqual({
      paymentStatus: 'captured',
      order: { to: 'paid', reason: 'Payment captured' },
      reviewReason: null,
      followUp: null,
    });
  });

  it('policy flag: pays and flags for review when a check fails', () => {
    const d = decide({ outcome: captured(STREET_FAIL) });
    expect(d.order?.to).toBe('paid');
    expect(d.reviewReason).toBe('address_check_failed');
    expect(d.order?.reason).toContain('street');
  });

  it('policy hold: an authorisation with a failed check holds the order for an admin', () => {
    const d = decide({ policy: 'hold', outcome: authorised(STREET_FAIL) });
    expect(d).toMatchObject({
      paymentStatus: 'authorised',
      order: { to: 'on_hold' },
      reviewReason: 'address_check_failed',
      followUp: null,
    });
  });

  it('policy hold: an authorisation with passing checks is captured, and the order waits for that capture', () => {
    expect(decide({ policy: 'hold', outcome: authorised() })).toEqual({
      paymentStatus: 'authorised',
      order: null,
      reviewReason: null,
      followUp: 'capture',
    });
  });

  it('policy reject: a failed check fails the order and gives the money back (refund if captured, void if authorised)', () => {
    expect(decide({ policy: 'reject', outcome: captured(STREET_FAIL) })).toMatchObject({
      order: { to: 'payment_failed' },
      followUp: 'refund',
    });
    expect(decide({ policy: 'reject', outcome: authorised({ ...PASS, postalCode: 'fail' }) })).toMatchObject({
      order: { to: 'payment_failed' },
      followUp: 'cancel',
    });
    expect(decide({ policy: 'reject', outcome: captured() }).order?.to).toBe('paid');
  });

  it('a held order becomes paid when its payment is captured', () => {
    expect(decide({ orderStatus: 'on_hold', paymentStatus: 'authorised', outcome: captured(STREET_FAIL) }).order).toEqual({
      to: 'paid',
      reason: 'Held payment captured',
    });
  });

  it('declines, pending and expiry change the payment only', () => {
    expect(decide({ outcome: { status: 'declined', paymentRef: null, message: 'Your card was declined.' } })).toEqual({
      paymentStatus: 'declined',
      order: null,
      reviewReason: null,
      followUp: null,
    });
    expect(decide({ paymentStatus: 'created', outcome: { status: 'pending', paymentRef: null } }).paymentStatus).toBe('pending');
    expect(decide({ outcome: { status: 'expired', paymentRef: null } })).toMatchObject({ paymentStatus: 'expired', order: null });
  });

  it('never moves a payment backwards: a failure after capture changes nothing', () => {
    expect(decide({ paymentStatus: 'captured', outcome: { status: 'declined', paymentRef: 'pi_1', message: 'x' } })).toEqual({
      paymentStatus: null,
      order: null,
      reviewReason: null,
      followUp: null,
    });
    expect(decide({ paymentStatus: 'captured', outcome: captured() }).paymentStatus).toBeNull();
  });

  it('gives back money that arrives for an order already closed', () => {
    for (const orderStatus of ['expired', 'cancelled', 'payment_failed'] as const) {
      expect(decide({ orderStatus, outcome: captured() })).toEqual({
        paymentStatus: 'captured',
        order: null,
        reviewReason: null,
        followUp: 'refund',
      });
      expect(decide({ orderStatus, outcome: authorised() }).followUp).toBe('cancel');
    }
  });

  it('gives back a second payment for an order another payment already paid', () => {
    expect(decide({ orderStatus: 'paid', otherPaymentHoldsMoney: true })).toMatchObject({ order: null, followUp: 'refund' });
    expect(decide({ orderStatus: 'pending_payment', otherPaymentHoldsMoney: true })).toMatchObject({ order: null, followUp: 'refund' });
    expect(decide({ orderStatus: 'paid', otherPaymentHoldsMoney: false })).toMatchObject({ order: null, followUp: null });
  });
});

describe('checksFailed', () => {
  it('counts only outright failures', () => {
    expect(checksFailed(PASS)).toBe(false);
    expect(checksFailed({ ...PASS, street: 'unavailable', postalCode: 'unchecked' })).toBe(false);
    expect(checksFailed({ ...PASS, cvc: 'fail' })).toBe(true);
  });
});
