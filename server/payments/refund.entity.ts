import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A refund the store asked a gateway for (full or partial). */
@Entity({ name: 'refunds' })
export class Refund {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', name: 'payment_id' })
  paymentId!: number;

  @Column({ type: 'integer' })
  amount!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'requested' | 'refunded' | 'refused';

  @Column({ type: 'varchar', length: 255, name: 'refund_ref', nullable: true })
  refundRef!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  message!: string | null;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
