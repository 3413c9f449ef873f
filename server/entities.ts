import { AdminRecoveryCode } from './admin/auth/admin-recovery-code.entity';
import { AdminSession } from './admin/auth/admin-session.entity';
import { AdminSessionSecret } from './admin/auth/admin-session-secret.entity';
import { AdminUser } from './admin/admin-user.entity';
import { AuditEntry } from './admin/audit-entry.entity';
import { Cart } from './cart/cart.entity';
import { CartItem } from './cart/cart-item.entity';
import { Product } from './catalog/product.entity';
import { Checkout } from './checkout/checkout.entity';
import { Address } from './orders/address.entity';
import { OrderEvent } from './orders/order-event.entity';
import { OrderLine } from './orders/order-line.entity';
import { Order } from './orders/order.entity';
import { JobLease } from './db/job-lease.entity';
import { RateLimitHit } from './db/rate-limit-hit.entity';
import { GatewayEvent } from './payments/gateway-event.entity';
import { Payment } from './payments/payment.entity';
import { Refund } from './payments/refund.entity';
import { OutboxMessage } from './notifications/outbox-message.entity';
import { CspViolation } from './integrity/csp-violation.entity';
import { PaymentPageCheck } from './integrity/payment-page-check.entity';

/** Every entity the store persists. */
export const ENTITIES = [
  Product,
  Cart,
  CartItem,
  Checkout,
  Address,
  Order,
  OrderLine,
  OrderEvent,
  Payment,
  Refund,
  GatewayEvent,
  JobLease,
  RateLimitHit,
  AdminUser,
  AdminSession,
  AdminSessionSecret,
  AdminRecoveryCode,
  AuditEntry,
  OutboxMessage,
  CspViolation,
  PaymentPageCheck,
];
