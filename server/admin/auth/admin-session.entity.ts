import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One admin session as `express-session` keeps it (see typeorm-session-store.ts), shared by every
 * store instance through the database. The session id itself is never stored: only its SHA-256.
 */
@Entity({ name: 'admin_sessions' })
export class AdminSession {
  /** SHA-256 (hex) of the session id in the cookie: the table alone never yields a usable session. */
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'sid_hash' })
  sidHash!: string;

  /** The session's contents as JSON (who is logged in, at which login step, the CSRF token, the cookie's attributes). */
  @Column({ type: 'text' })
  data!: string;

  /** When this session id was issued; the absolute lifetime counts from here. */
  @Column({ type: 'datetime', name: 'started_at' })
  startedAt!: Date;

  /** The last request seen with it (to the minute); the idle timeout counts from here. */
  @Column({ type: 'datetime', name: 'last_seen_at' })
  lastSeenAt!: Date;
}
