import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Order } from './order.entity';

/** A product line frozen at checkout: name and unit price as they were when the order was placed. */
@Entity({ name: 'order_lines' })
export class OrderLine {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId!: number;

  @ManyToOne('Order', 'lines', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order!: Order;

  @Column({ type: 'integer', name: 'product_id' })
  productId!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'integer', name: 'unit_price' })
  unitPrice!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'integer', name: 'line_total' })
  lineTotal!: number;
}
