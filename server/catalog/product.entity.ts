import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A product for sale. `price` is in minor units of `currency`; `stock` is units still unreserved. */
@Entity({ name: 'products' })
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 120, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'integer' })
  price!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Path under the store origin (`/images/mug.svg`) or an absolute https URL. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  image!: string | null;

  @Column({ type: 'integer' })
  stock!: number;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** Category slug (see category.ts), or null for none. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  category!: string | null;

  /** Ascending display order in the catalog; ties broken by id. */
  @Column({ type: 'integer', default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'datetime', name: 'updated_at' })
  updatedAt!: Date;
}
