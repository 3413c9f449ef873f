import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A secret the store made for itself, once per database, so that every instance sharing the
 * database shares it (see session-secret.ts).
 */
@Entity({ name: 'admin_session_secrets' })
export class AdminSessionSecret {
  /** What the secret is for (`cookie_signing`). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  /** Sealed with the SECRETS_KEY keyring (see admin-secrets.ts). */
  @Column({ type: 'varchar', length: 255 })
  secret!: string;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
