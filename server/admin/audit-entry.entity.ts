import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Whether an audited attempt worked. */
export type AuditOutcome = 'success' | 'failure' | 'refused';

/**
 * One line of the admin audit log: who did what to which target, from where, and how it ended.
 * Never holds a password, session id, TOTP code or key.
 */
@Entity({ name: 'admin_audit_log' })
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The admin, when known (a failed login for an unknown email has none). */
  @Column({ type: 'integer', name: 'admin_id', nullable: true })
  adminId!: number | null;

  /** The email the actor gave or has. */
  @Column({ type: 'varchar', length: 254 })
  actor!: string;

  /** e.g. `login`, `logout`, `order.refund`, `product.update`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** e.g. `order 42`, `product enamel-mug`. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  target!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 45 })
  ip!: string;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
