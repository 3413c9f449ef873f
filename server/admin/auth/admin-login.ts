import type { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { AdminUser } from '../admin-user.entity';
import { recordAudit } from '../audit-log';
import { verifyAgainstDecoy, verifyPassword } from './password-hashing';

/** Wrong passwords in a row that lock an account. */
export const MAX_FAILED_LOGINS = 10;
/** How long a locked account stays locked. */
export const LOCKOUT_MS = 30 * 60 * 1000;

/** How a password check ended. `locked` is also the answer while locked, even to the right password. */
export type LoginResult =
  | { readonly kind: 'ok'; readonly admin: AdminUser }
  | { readonly kind: 'needs_totp'; readonly admin: AdminUser }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'locked'; readonly until: Date };

/** How asking a logged-in admin for their password again ended. */
export type PasswordRecheck =
  | { readonly kind: 'ok' }
  /** `lockedUntil` is set when this wrong password locked the account. */
  | { readonly kind: 'wrong'; readonly lockedUntil: Date | null }
  | { readonly kind: 'locked'; readonly until: Date };

/** What counting one attempt found: the account already locked (nothing counted), or the attempt counted. */
export type AttemptCount =
  | { readonly kind: 'refused'; readonly until: Date }
  /** `lockedUntil` is set when this attempt reached {@link MAX_FAILED_LOGINS} and locked the account. */
  | { readonly kind: 'counted'; readonly lockedUntil: Date | null };

/** Admin emails are compared lower-cased and trimmed. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * The password step of logging in: per-account lockout after {@link MAX_FAILED_LOGINS} failures
 * for {@link LOCKOUT_MS} (counted with atomic updates, so parallel guesses cannot slip past it),
 * and every attempt written to the audit log. The second step (totp-login.ts) counts its wrong
 * codes on the same counter, through {@link AdminLogin.countAttempt} and {@link AdminLogin.recordSuccess}.
 */
export class AdminLogin {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
  ) {}

  async checkPassword(email: string, password: string, ip: string): Promise<LoginResult> {
    const actor = normalizeEmail(email);
    const audit = (adminId: number | null, outcome: 'success' | 'failure' | 'refused', detail: string) =>
      recordAudit(this.dataSource, { adminId, actor, action: 'login', outcome, detail, ip });
    const users = this.dataSource.getRepository(AdminUser);
    const admin = await users.findOneBy({ email: actor });
    if (!admin) {
      await verifyAgainstDecoy(password);
      await audit(null, 'failure', 'no account with this email');
      return { kind: 'wrong' };
    }
    const now = this.clock();
    if (admin.lockedUntil && admin.lockedUntil.getTime() > now.getTime()) {
      await audit(admin.id, 'refused', `account locked until ${admin.lockedUntil.toISOString()}`);
      return { kind: 'locked', until: admin.lockedUntil };
    }
    if (!(await verifyPassword(password, admin.passwordHash))) {
      const lockedUntil = await this.countFailure(admin.id, now);
      await audit(
        admin.id,
        'failure',
        lockedUntil ? `wrong password; account locked until ${lockedUntil.toISOString()}` : 'wrong password',
      );
      return lockedUntil ? { kind: 'locked', until: lockedUntil } : { kind: 'wrong' };
    }
    const needsTotp = admin.totpEnabledAt !== null;
    // With a second factor only a right code clears the count: otherwise whoever knows the
    // password could reset it between every nine guesses of the code.
    if (!needsTotp) await this.recordSuccess(admin.id, now);
    await audit(admin.id, 'success', needsTotp ? 'password accepted; second factor required' : 'logged in');
    return needsTotp ? { kind: 'needs_totp', admin } : { kind: 'ok', admin };
  }

  /**
   * Counts one failed attempt (or, for a second factor, one about to be checked) against the
   * account, locking it when the count reaches {@link MAX_FAILED_LOGINS}. Nothing is counted
   * while the account is locked. One transaction of conditional updates: parallel attempts each
   * see the count the others left.
   */
  countAttempt(adminId: number, now: Date): Promise<AttemptCount> {
    return inTransaction(this.dataSource, async (manager) => {
      const qb = () => manager.createQueryBuilder().update(AdminUser);
      // A lock that has run out starts a fresh count.
      await qb()
        .set({ failedLogins: 0, lockedUntil: null })
        .where('id = :id AND locked_until IS NOT NULL AND locked_until <= :now', { id: adminId, now })
        .execute();
      const counted = await qb()
        .set({ failedLogins: () => 'failed_logins + 1' })
        .where('id = :id AND locked_until IS NULL', { id: adminId })
        .execute();
      if (counted.affected !== 1) {
        const admin = await manager.getRepository(AdminUser).findOneBy({ id: adminId });
        return { kind: 'refused', until: admin?.lockedUntil ?? now };
      }
      const until = new Date(now.getTime() + LOCKOUT_MS);
      const locked = await qb()
        .set({ lockedUntil: until, failedLogins: 0 })
        .where('id = :id AND failed_logins >= :max', { id: adminId, max: MAX_FAILED_LOGINS })
        .execute();
      return { kind: 'counted', lockedUntil: locked.affected === 1 ? until : null };
    });
  }

  /**
   * The password asked again of a logged-in admin before a sensitive change, under the same
   * lockout as logging in (so a stolen session cannot be used to guess it). Not audited: the
   * caller audits the change it guards.
   */
  async recheckPassword(admin: AdminUser, password: string): Promise<PasswordRecheck> {
    const now = this.clock();
    if (admin.lockedUntil && admin.lockedUntil.getTime() > now.getTime()) return { kind: 'locked', until: admin.lockedUntil };
    if (await verifyPassword(password, admin.passwordHash)) return { kind: 'ok' };
    return { kind: 'wrong', lockedUntil: await this.countFailure(admin.id, now) };
  }

  /** Counts one wrong password; returns the lock's end when the account is now locked (by it or before), else null. */
  private async countFailure(adminId: number, now: Date): Promise<Date | null> {
    const counted = await this.countAttempt(adminId, now);
    return counted.kind === 'refused' ? counted.until : counted.lockedUntil;
  }

  /** A complete login: the failure count and any lock are cleared. */
  async recordSuccess(adminId: number, now: Date): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager.update(AdminUser, { id: adminId }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now }),
    );
  }
}
