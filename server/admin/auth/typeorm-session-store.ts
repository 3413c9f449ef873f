import { createHash } from 'node:crypto';
import { Store, type SessionData } from 'express-session';
import type { DataSource, Repository } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { AdminSession } from './admin-session.entity';

/** How long a session may live, both limits counted on the store's clock. */
export interface SessionLimits {
  /** A session unused for longer than this is over (each request starts the count again). */
  readonly idleMs: number;
  /** A session this old is over, however busy it is. */
  readonly maxAgeMs: number;
}

// Writing last_seen_at on every request would make each page view a write; a minute is precise enough.
const TOUCH_AFTER_MS = 60 * 1000;

/** What the table keeps instead of a session id: its SHA-256, in hex. */
export const sessionIdHash = (sid: string): string => createHash('sha256').update(sid).digest('hex');

/** Hands a promise's outcome to a Node-style callback, outside the promise chain (so a throwing callback is not taken for a failed promise). */
function settle<T>(work: Promise<T>, callback: ((err: unknown, value?: T) => void) | undefined): void {
  work.then(
    (value) => process.nextTick(() => callback?.(null, value)),
    (err: unknown) => process.nextTick(() => callback?.(err)),
  );
}

/**
 * An `express-session` store in the `admin_sessions` table, through TypeORM (SQLite or
 * MySQL/MariaDB), so sessions survive restarts and every store instance sharing the database
 * honours them. A row is found by the SHA-256 of the session id and never holds the id itself:
 * whoever reads the table (or a backup of it) cannot present any of its sessions.
 *
 * The store enforces both {@link SessionLimits} on the injected clock: a session idle too long or
 * past its absolute lifetime is not returned (and is deleted), whatever its cookie says.
 */
export class TypeormSessionStore extends Store {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
    private readonly limits: SessionLimits,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    settle(this.read(sid), callback);
  }

  /** Creates the session, or replaces its contents (its start, and so its absolute end, never moves). */
  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    settle(this.write(sid, session), callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    settle(this.remove(sid), callback);
  }

  /** Records that the session was used (restarting its idle count); it never extends the absolute lifetime. */
  override touch(sid: string, _session: SessionData, callback?: (err?: unknown) => void): void {
    settle(this.markSeen(sid), callback);
  }

  /** The live session with this id, or null (unknown, idle too long or too old: then it is deleted). */
  async read(sid: string): Promise<SessionData | null> {
    const row = await this.dataSource.getRepository(AdminSession).findOneBy({ sidHash: sessionIdHash(sid) });
    if (!row) return null;
    const now = this.clock().getTime();
    if (now - row.lastSeenAt.getTime() > this.limits.idleMs || now - row.startedAt.getTime() >= this.limits.maxAgeMs) {
      await this.remove(sid);
      return null;
    }
    return JSON.parse(row.data) as SessionData;
  }

  async write(sid: string, session: SessionData): Promise<void> {
    const now = this.clock();
    await this.inTransaction((sessions) =>
      sessions
        .createQueryBuilder()
        .insert()
        .into(AdminSession)
        .values({ sidHash: sessionIdHash(sid), data: JSON.stringify(session), startedAt: now, lastSeenAt: now })
        .orUpdate(['data', 'last_seen_at'], ['sid_hash'])
        .execute(),
    );
  }

  async remove(sid: string): Promise<void> {
    await this.inTransaction((sessions) => sessions.delete({ sidHash: sessionIdHash(sid) }));
  }

  async markSeen(sid: string): Promise<void> {
    const now = this.clock();
    const stale = new Date(now.getTime() - TOUCH_AFTER_MS);
    await this.inTransaction((sessions) =>
      sessions
        .createQueryBuilder()
        .update()
        .set({ lastSeenAt: now })
        .where('sid_hash = :hash AND last_seen_at < :stale', { hash: sessionIdHash(sid), stale })
        .execute(),
    );
  }

  /** Deletes every session past either limit (nothing else would: an abandoned session is never asked for again). Returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock().getTime();
    const idleCutoff = new Date(now - this.limits.idleMs);
    const ageCutoff = new Date(now - this.limits.maxAgeMs);
    const result = await this.inTransaction((sessions) =>
      sessions
        .createQueryBuilder()
        .delete()
        .where('last_seen_at < :idleCutoff OR started_at <= :ageCutoff', { idleCutoff, ageCutoff })
        .execute(),
    );
    return result.affected ?? 0;
  }

  /** Every write goes through inTransaction (on SQLite a bare write could join another's transaction). */
  private inTransaction<T>(work: (sessions: Repository<AdminSession>) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, (manager) => work(manager.getRepository(AdminSession)));
  }
}
