import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus } from '../orders/order-state';

/** What an outbox message tells its recipient. */
export type OutboxKind = 'order_paid' | 'order_refunded' | 'order_shipped' | 'admin_new_order';

/**
 * `pending`: waiting to be sent (first time, or again after a failure); `sending`: claimed by a
 * worker until `dueAt`; `sent`; `failed`: given up (refused by the server, or out of attempts).
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One e-mail the store owes, written in the same transaction as the order change that caused it
 * and delivered by the outbox worker. The message is rendered when it is sent, from the order and
 * the facts recorded here.
 */
@Entity({ name: 'outbox_messages' })
export class OutboxMessage {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: OutboxKind;

  @Column({ type: 'integer', name: 'order_id' })
  orderId!: number;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  /** The status the order entered when this message was written. */
  @Column({ type: 'varchar', length: 32, name: 'order_status' })
  orderStatus!: OrderStatus;

  /** For `order_refunded`: minor units refunded so far, this refund included. */
  @Column({ type: 'integer', nullable: true })
  amount!: number | null;

  /** Random and unique: the stable part of the message's Message-ID, so a resend is recognisable. */
  @Column({ type: 'varchar', length: 64, name: 'message_key', unique: true })
  messageKey!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  /** Claims so far, the one in progress included. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When the message may next be claimed: its retry time while pending, its lease expiry while sending. */
  @Column({ type: 'datetime', name: 'due_at' })
  dueAt!: Date;

  /** Which worker's claim is current; only that worker may record the outcome. */
  @Column({ type: 'varchar', length: 64, name: 'claim_token', nullable: true })
  claimToken!: string | null;

  /** Why the last attempt failed (the SMTP server's answer), without message content. */
  @Column({ type: 'varchar', length: 500, name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'datetime', name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
