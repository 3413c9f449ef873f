import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PaymentStatus } from '../orders/payment-state';
import type { CheckResult, GatewayId } from './payment-gateway';

export type { PaymentStatus } from '../orders/payment-state';

/** A gateway call the store still owes after a decision (done right after commit, retried by reconciliation). */
export type PaymentFollowUp = 'capture' | 'cancel' | 'refund';

/**
 * One attempt to pay an order at one gateway. `attemptKey` is the idempotency key of every
 * gateway call the attempt makes, so a retried request never creates or charges twice.
 */
@Entity({ name: 'payments' })
export class Payment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId!: number;

  @Column({ type: 'varchar', length: 16 })
  gateway!: GatewayId;

  @Column({ type: 'varchar', length: 64, name: 'attempt_key', unique: true })
  attemptKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PaymentStatus;

  @Column({ type: 'varchar', length: 255, name: 'checkout_ref', nullable: true })
  checkoutRef!: string | null;

  @Column({ type: 'varchar', length: 255, name: 'payment_ref', nullable: true })
  paymentRef!: string | null;

  @Column({ type: 'varchar', length: 2000, name: 'redirect_url', nullable: true })
  redirectUrl!: string | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'integer', name: 'captured_amount', default: 0 })
  capturedAmount!: number;

  @Column({ type: 'integer', name: 'refunded_amount', default: 0 })
  refundedAmount!: number;

  @Column({ type: 'varchar', length: 16, name: 'avs_street', nullable: true })
  avsStreet!: CheckResult | null;

  @Column({ type: 'varchar', length: 16, name: 'avs_postal_code', nullable: true })
  avsPostalCode!: CheckResult | null;

  @Column({ type: 'varchar', length: 16, name: 'cvc_check', nullable: true })
  cvcCheck!: CheckResult | null;

  /** The gateway's own check codes, as JSON. */
  @Column({ type: 'varchar', length: 255, name: 'avs_raw', nullable: true })
  avsRaw!: string | null;

  @Column({ type: 'varchar', length: 500, name: 'decline_message', nullable: true })
  declineMessage!: string | null;

  @Column({ type: 'varchar', length: 16, name: 'follow_up', nullable: true })
  followUp!: PaymentFollowUp | null;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', name: 'updated_at' })
  updatedAt!: Date;
}
