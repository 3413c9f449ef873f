import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CallbackKind, GatewayId } from './payment-gateway';

/**
 * A verified gateway callback, stored once: (gateway, event id) is unique, and the order change
 * it caused is committed in the same transaction. It is also the payment timeline of an order.
 */
@Entity({ name: 'gateway_events' })
export class GatewayEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  gateway!: GatewayId;

  @Column({ type: 'varchar', length: 255, name: 'event_id' })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: CallbackKind;

  @Column({ type: 'varchar', length: 255, nullable: true })
  ref!: string | null;

  @Column({ type: 'integer', nullable: true })
  amount!: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  @Column({ type: 'integer', name: 'order_id', nullable: true })
  orderId!: number | null;

  @Column({ type: 'integer', name: 'payment_id', nullable: true })
  paymentId!: number | null;

  /** What the store did with it, in words, for the admin's timeline. */
  @Column({ type: 'varchar', length: 500 })
  outcome!: string;

  @Column({ type: 'datetime', name: 'occurred_at' })
  occurredAt!: Date;

  @CreateDateColumn({ type: 'datetime', name: 'received_at' })
  receivedAt!: Date;
}
