import { createHash } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { randomToken } from '../../random-token';
import { AdminSession, type AdminSessionStage } from './admin-session.entity';
import { AdminUser } from '../admin-user.entity';

/** The admin session cookie. `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = '__Host-padlock_admin';
/** A session unused for this long is over. */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
// Writing last_seen_at on every request would make each page view a write; a minute is precise enough.
const TOUCH_AFTER_MS = 60 * 1000;

/** A session found from its cookie, with its admin. */
export interface ResumedSession {
  readonly session: AdminSession;
  readonly admin: AdminUser;
}

const sessionId = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Admin sessions in the database (so they survive restarts and are shared by every instance).
 * The cookie holds a random token; the table holds only its SHA-256.
 */
export class AdminSessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
  ) {}

  /** Starts a new session; returns the token for the cookie and the session's CSRF token. */
  async start(adminId: number, stage: AdminSessionStage, ip: string): Promise<{ token: string; csrfToken: string }> {
    const token = randomToken();
    const csrfToken = randomToken();
    await this.write((sessions) => sessions.insert({ id: sessionId(token), adminId, stage, ip: ip.slice(0, 45), csrfToken, lastSeenAt: this.clock() }));
    return { token, csrfToken };
  }

  /** Every write goes through inTransaction (on SQLite a bare write could join another's transaction). */
  private write<T>(work: (sessions: Repository<AdminSession>) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, (manager) => work(manager.getRepository(AdminSession)));
  }

  /** The live session of a cookie token, or null (unknown, or idle too long: then it is deleted). */
  async resume(token: string | undefined): Promise<ResumedSession | null> {
    if (!token || token.length > 100) return null;
    const id = sessionId(token);
    const session = await this.dataSource.getRepository(AdminSession).findOneBy({ id });
    if (!session) return null;
    const now = this.clock();
    const idle = now.getTime() - session.lastSeenAt.getTime();
    if (idle > IDLE_TIMEOUT_MS) {
      await this.write((sessions) => sessions.delete({ id }));
      return null;
    }
    const admin = await this.dataSource.getRepository(AdminUser).findOneBy({ id: session.adminId });
    if (!admin) return null;
    if (idle > TOUCH_AFTER_MS) {
      await this.write((sessions) => sessions.update({ id }, { lastSeenAt: now }));
      session.lastSeenAt = now;
    }
    return { session, admin };
  }

  /** Ends the session of a cookie token (logout, or replaced at login). */
  async end(token: string | undefined): Promise<void> {
    if (!token || token.length > 100) return;
    await this.write((sessions) => sessions.delete({ id: sessionId(token) }));
  }

  /** Deletes sessions idle for longer than the timeout (the table would otherwise only grow). */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - IDLE_TIMEOUT_MS);
    const result = await this.write((sessions) => sessions.createQueryBuilder().delete().where('last_seen_at < :cutoff', { cutoff }).execute());
    return result.affected ?? 0;
  }
}
