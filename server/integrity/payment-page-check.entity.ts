import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One run of `npm run check:payment-pages`: when, whether the pages matched the inventory, and what differed. */
@Entity({ name: 'payment_page_checks' })
export class PaymentPageCheck {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'boolean' })
  ok!: boolean;

  /** The store origin that was checked. */
  @Column({ type: 'varchar', length: 200 })
  store!: string;

  /** The findings as JSON (`Finding[]`), or the reason the check could not run. */
  @Column({ type: 'text' })
  findings!: string;

  @CreateDateColumn({ type: 'datetime', name: 'checked_at' })
  checkedAt!: Date;
}
