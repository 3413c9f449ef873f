import { randomUUID } from 'node:crypto';
import { money, type Money } from '../../server/money';
import type { PostalAddress } from '../../server/orders/postal-address';
import type { ChargeNonceRequest, CreatePaymentRequest } from '../../server/payments/payment-gateway';

let orderSequence = 0;

/** A fresh human order number, unique within the test run. */
export function nextOrderNumber(): string {
  orderSequence += 1;
  return `PS-${String(orderSequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

export function billingAddress(overrides: Partial<PostalAddress> = {}): PostalAddress {
  return {
    name: 'Ada Lovelace',
    line1: '12 Marylebone Road',
    line2: null,
    city: 'London',
    region: null,
    postalCode: '94107',
    country: 'US',
    ...overrides,
  };
}

export function chargeRequest(nonce: string, overrides: Partial<ChargeNonceRequest> = {}): ChargeNonceRequest {
  return {
    orderId: 1,
    orderNumber: nextOrderNumber(),
    amount: money(6900, 'USD'),
    email: 'ada@example.com',
    billingAddress: billingAddress(),
    captureLater: false,
    nonce,
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

export function createPaymentRequest(amount: Money = money(6900, 'USD')): CreatePaymentRequest {
  return {
    orderId: 1,
    orderNumber: nextOrderNumber(),
    amount,
    lines: [{ name: 'Enamel Mug', unitPrice: amount, quantity: 1 }],
    shipping: money(0, amount.currency),
    email: 'ada@example.com',
    billingAddress: billingAddress(),
    captureLater: false,
    returnUrl: 'https://localhost:8443/orders/abc',
    cancelUrl: 'https://localhost:8443/checkout/abc',
    expiresAt: new Date(Date.now() + 30 * 60_000),
    idempotencyKey: randomUUID(),
  };
}
