import { money } from '../money';
import type { Address } from '../orders/address.entity';
import type { Order } from '../orders/order.entity';
import { orderNumber } from '../orders/order-presentation';
import type { PostalAddress } from '../orders/postal-address';
import type { ChargeNonceRequest, CreatePaymentRequest } from './payment-gateway';

function postal(address: Address): PostalAddress {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
  };
}

/** What every gateway request about an order says: which order, how much, who pays, and how. */
type OrderPaymentFields = Pick<
  CreatePaymentRequest & ChargeNonceRequest,
  'orderId' | 'orderNumber' | 'amount' | 'email' | 'billingAddress' | 'captureLater'
>;

/**
 * The one builder of a gateway request from an order (loaded with its lines and billing
 * address): the fields every request shares, plus a hosted page's or in-page fields' own.
 */
export const paymentRequest = {
  /** The common part; `captureLater` when the address-check policy holds payments for review. */
  base(order: Order, captureLater: boolean): OrderPaymentFields {
    return {
      orderId: order.id,
      orderNumber: orderNumber(order.id),
      amount: money(order.total, order.currency),
      email: order.email,
      billingAddress: postal(order.billingAddress),
      captureLater,
    };
  },

  /** A payment to create at the gateway (hosted page or in-page fields). */
  create(
    order: Order,
    captureLater: boolean,
    page: Pick<CreatePaymentRequest, 'returnUrl' | 'cancelUrl' | 'idempotencyKey'> & { withLines: boolean },
  ): CreatePaymentRequest {
    const lines = page.withLines
      ? [...order.lines]
          .sort((a, b) => a.id - b.id)
          .map((l) => ({ name: l.name, unitPrice: money(l.unitPrice, order.currency), quantity: l.quantity }))
      : [];
    return {
      ...this.base(order, captureLater),
      lines,
      shipping: money(order.shippingAmount, order.currency),
      returnUrl: page.returnUrl,
      cancelUrl: page.cancelUrl,
      expiresAt: order.expiresAt,
      idempotencyKey: page.idempotencyKey,
    };
  },

  /** A charge of the nonce the gateway's in-page fields gave the browser. */
  chargeNonce(order: Order, captureLater: boolean, nonce: string, idempotencyKey: string): ChargeNonceRequest {
    return { ...this.base(order, captureLater), nonce, idempotencyKey };
  },
};
