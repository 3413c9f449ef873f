import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Cart } from '../cart/cart.entity';

/**
 * A checkout session: the link from a cart to the store's checkout page. Its id is the
 * unguessable token in `/checkout/:token`; once the shopper submits their details it points at
 * the order it created.
 */
@Entity({ name: 'checkouts' })
export class Checkout {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64, name: 'cart_id' })
  cartId!: string;

  /** The cart, only when the lookup joined it (the details form reads both in one query). */
  @ManyToOne(() => Cart, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'cart_id' })
  cart?: Cart;

  @Column({ type: 'varchar', length: 2000, name: 'return_url' })
  returnUrl!: string;

  @Column({ type: 'integer', name: 'order_id', nullable: true })
  orderId!: number | null;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'datetime', name: 'expires_at' })
  expiresAt!: Date;
}
