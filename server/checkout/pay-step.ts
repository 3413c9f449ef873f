import { money, toDecimalString } from '../money';
import type { Order } from '../orders/order.entity';
import { addressLines, orderNumber, orderSummary, shopperStatusText } from '../orders/order-presentation';
import type { GatewayRegistry } from '../payments/gateway-registry';
import { mayTake, type OrderStatus } from '../orders/order-state';
import { GatewayUnavailableError } from '../payments/payment-gateway';
import type { PaymentFollowUps } from '../payments/payment-follow-ups';
import type { PaymentStarts } from '../payments/payment-starts';
import type { Checkout } from './checkout.entity';
import { shippingMethod, type ShippingMethodId } from './shipping-methods';

/** How one gateway appears on the pay step. */
type PaymentMethodView =
  | { kind: 'hosted_page'; gateway: string; label: string; action: string }
  | {
      kind: 'in_page_fields';
      gateway: string;
      label: string;
      action: string;
      config: Readonly<Record<string, string>>;
      amount: string;
      currency: string;
    }
  | { kind: 'unavailable'; gateway: string; label: string };

const LABELS: Readonly<Record<string, string>> = {
  stripe: 'Card (secure payment page)',
  braintree: 'Card or PayPal (Braintree)',
};

/** The checkout's last step: the order summary and the ways to pay it, as the `checkout-pay` page shows them. */
export class PayStep {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly starts: PaymentStarts,
    private readonly followUps: PaymentFollowUps,
    private readonly publicUrl: string,
    private readonly clock: () => Date,
  ) {}

  /** The data of the `checkout-pay` page for an order placed from `checkout`. */
  async view(checkout: Checkout, order: Order): Promise<Record<string, unknown>> {
    const text = shopperStatusText(order.status);
    // Past its reservation an order awaits the expiry sweep; it is no longer offered for payment.
    const payable = mayTake('pay', { status: order.status, expiresAt: order.expiresAt, now: this.clock() }).allowed;
    const latest = await this.followUps.latestPayment(order.id);
    const declined = payable && latest?.status === 'declined' ? (latest.declineMessage ?? 'The payment was declined.') : null;
    return {
      orderNumber: orderNumber(order.id),
      statusLabel: text.label,
      statusExplanation: UNPAYABLE_EXPLANATIONS[order.status] ?? text.explanation,
      payable,
      declined,
      expiresAt: order.expiresAt.toUTCString(),
      expiresAtIso: order.expiresAt.toISOString(),
      summary: orderSummary(order),
      email: order.email,
      shippingAddress: addressLines(order.shippingAddress),
      billingAddress: addressLines(order.billingAddress),
      shippingMethod: shippingMethod(order.shippingMethod as ShippingMethodId, order.currency).label,
      paymentMethods: payable ? await this.methods(checkout, order) : [],
      storeOrigin: this.publicUrl,
      orderPage: `/orders/${order.publicId}`,
      returnUrl: checkout.returnUrl,
    };
  }

  private async methods(checkout: Checkout, order: Order): Promise<PaymentMethodView[]> {
    const views: PaymentMethodView[] = [];
    for (const gateway of this.gateways.offered()) {
      const label = LABELS[gateway.id] ?? gateway.id;
      const action = `/checkout/${checkout.id}/pay/${gateway.id}`;
      if (gateway.flow === 'hosted_page') {
        views.push({ kind: 'hosted_page', gateway: gateway.id, label, action });
        continue;
      }
      try {
        const config = await this.starts.inPageConfig(order.id, gateway.id);
        const total = money(order.total, order.currency);
        views.push({
          kind: 'in_page_fields',
          gateway: gateway.id,
          label,
          action,
          config,
          amount: toDecimalString(total),
          currency: order.currency,
        });
      } catch (err) {
        if (!(err instanceof GatewayUnavailableError)) throw err;
        views.push({ kind: 'unavailable', gateway: gateway.id, label });
      }
    }
    return views;
  }
}

const RESERVATION_OVER = 'The time to pay this order has run out and its items are being released. Your cart is still on the shop page.';

const ADDRESS_CHECK_FAILED =
  'Your card issuer could not match the billing address, so the payment was returned and the order was not placed. Please check your billing address and check out again from your cart.';

/** Why an order shown on the pay step is not offered for payment, where the status alone does not say it. */
const UNPAYABLE_EXPLANATIONS: Partial<Record<OrderStatus, string>> = {
  payment_failed: ADDRESS_CHECK_FAILED,
  // Still awaiting payment, yet not payable: past its reservation, waiting for the expiry job.
  pending_payment: RESERVATION_OVER,
};
