import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who may log in to the store's admin. */
@Entity({ name: 'admin_users' })
export class AdminUser {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Lower-cased; the login name and where order notifications for admins go. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  /** `scrypt$N$r$p$salt$hash` (see password-hashing.ts); never the password. */
  @Column({ type: 'varchar', length: 255, name: 'password_hash' })
  passwordHash!: string;

  /** Wrong passwords since the last successful login (or the end of the last lockout). */
  @Column({ type: 'integer', name: 'failed_logins', default: 0 })
  failedLogins!: number;

  @Column({ type: 'datetime', name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  /**
   * The TOTP secret once enrolment started, sealed with the SECRETS_KEY keyring (see
   * auth/admin-secrets.ts; plain base32 only in rows from before encryption, until the start-up
   * sweep seals them); second factor required only when `totpEnabledAt` is set.
   */
  @Column({ type: 'varchar', length: 255, name: 'totp_secret', nullable: true })
  totpSecret!: string | null;

  @Column({ type: 'datetime', name: 'totp_enabled_at', nullable: true })
  totpEnabledAt!: Date | null;

  /** The time step (30-second counter) of the last code accepted: no code at or before it is taken again. */
  @Column({ type: 'integer', name: 'totp_last_step', nullable: true })
  totpLastStep!: number | null;

  @Column({ type: 'datetime', name: 'last_login_at', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
