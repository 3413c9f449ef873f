import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One single-use recovery code of an admin's second factor, stored as a SHA-256 hash. */
@Entity({ name: 'admin_recovery_codes' })
export class AdminRecoveryCode {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'integer', name: 'admin_id' })
  adminId!: number;

  @Column({ type: 'varchar', length: 64, name: 'code_hash' })
  codeHash!: string;

  @Column({ type: 'datetime', name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
