import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus } from './order-state';

/** One entry of an order's timeline: a status change and what caused it. */
@Entity({ name: 'order_events' })
export class OrderEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId!: number;

  @Column({ type: 'varchar', length: 32, name: 'from_status', nullable: true })
  fromStatus!: OrderStatus | null;

  @Column({ type: 'varchar', length: 32, name: 'to_status' })
  toStatus!: OrderStatus;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
