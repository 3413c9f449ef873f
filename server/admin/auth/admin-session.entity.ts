import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Where a session is: past the password but before the TOTP code, or fully logged in. */
export type AdminSessionStage = 'needs_totp' | 'active';

/** A logged-in admin's session, shared by every store instance through the database. */
@Entity({ name: 'admin_sessions' })
export class AdminSession {
  /** SHA-256 (hex) of the cookie's random token. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'integer', name: 'admin_id' })
  adminId!: number;

  /** Sent with every state-changing request (form field or X-CSRF-Token header). */
  @Column({ type: 'varchar', length: 64, name: 'csrf_token' })
  csrfToken!: string;

  @Column({ type: 'varchar', length: 16 })
  stage!: AdminSessionStage;

  @Column({ type: 'varchar', length: 45 })
  ip!: string;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;

  /** Idle timeout counts from here. */
  @Column({ type: 'datetime', name: 'last_seen_at' })
  lastSeenAt!: Date;
}
