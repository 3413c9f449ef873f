import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Address } from './address.entity';
import { OrderLine } from './order-line.entity';
import type { OrderStatus } from './order-state';

/**
 * An order. Amounts are minor units of `currency`. `status` changes only through
 * `order-transitions.ts`, which applies the state machine of `order-state.ts`.
 */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Unguessable id used in the shopper's order page URL. */
  @Column({ type: 'varchar', length: 64, name: 'public_id', unique: true })
  publicId!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: OrderStatus;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'integer' })
  subtotal!: number;

  @Column({ type: 'integer', name: 'shipping_amount' })
  shippingAmount!: number;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'varchar', length: 32, name: 'shipping_method' })
  shippingMethod!: string;

  @Column({ type: 'integer', name: 'shipping_address_id' })
  shippingAddressId!: number;

  @ManyToOne(() => Address)
  @JoinColumn({ name: 'shipping_address_id' })
  shippingAddress!: Address;

  @Column({ type: 'integer', name: 'billing_address_id' })
  billingAddressId!: number;

  @ManyToOne(() => Address)
  @JoinColumn({ name: 'billing_address_id' })
  billingAddress!: Address;

  @OneToMany(() => OrderLine, (line) => line.order)
  lines!: OrderLine[];

  /** The blog page the shopper came from; the confirmation page links back to it. */
  @Column({ type: 'varchar', length: 2000, name: 'return_url' })
  returnUrl!: string;

  /** Why an admin should look at this order (address check failed, dispute opened, …); null when nothing to review. */
  @Column({ type: 'varchar', length: 64, name: 'review_reason', nullable: true })
  reviewReason!: string | null;

  /** What the admin noted when marking the order shipped (carrier, tracking number). */
  @Column({ type: 'varchar', length: 500, name: 'tracking_note', nullable: true })
  trackingNote!: string | null;

  /** When an unpaid order gives its reserved stock back. */
  @Column({ type: 'datetime', name: 'expires_at' })
  expiresAt!: Date;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', name: 'updated_at' })
  updatedAt!: Date;
}
