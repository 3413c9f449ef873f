import type { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { AdminRecoveryCode } from './admin-recovery-code.entity';
import { AdminUser } from '../admin-user.entity';
import type { AdminLogin } from './admin-login';
import { recordAudit } from '../audit-log';
import { recoveryCodeHash } from './recovery-codes';
import { withSecretParameters } from '../../db/secret-query';
import type { SecretKeyring } from '../../db/secret-envelope';
import { openAdminSecret, TOTP_SECRETS } from './admin-secrets';
import { authenticatorCode, totpStep } from './totp';
import { recoveryCodesLeft } from './totp-enrolment';

/** How the second step of a login ended. */
export type SecondFactorResult =
  | { readonly kind: 'ok'; readonly admin: AdminUser }
  | { readonly kind: 'wrong' }
  /** The right code, but it (or a later one) was already used: a replay. */
  | { readonly kind: 'replayed' }
  | { readonly kind: 'locked'; readonly until: Date };

/**
 * The second step of logging in: an authenticator code (one step of clock drift either way) or an
 * unused recovery code. Every attempt is counted on the account's failure counter *before* it is
 * checked (a right code clears it), so parallel guesses share the password step's lockout; each
 * code is accepted once; every attempt is audited as `login.totp`, never with the code.
 */
export class TotpLogin {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
    private readonly login: AdminLogin,
    private readonly secrets: SecretKeyring,
  ) {}

  async checkCode(adminId: number, code: string, ip: string): Promise<SecondFactorResult> {
    const admin = await this.dataSource.getRepository(AdminUser).findOneBy({ id: adminId });
    if (!admin) return { kind: 'wrong' };
    // Opened before the attempt is counted: a SECRETS_KEY that cannot open it (503) is the
    // store's fault and must not lock the admin out.
    const stored = admin.totpEnabledAt ? admin.totpSecret : null;
    const secret = stored ? openAdminSecret(this.secrets, TOTP_SECRETS, adminId, stored) : null;
    const audit = (outcome: 'success' | 'failure' | 'refused', detail: string) =>
      recordAudit(this.dataSource, { adminId, actor: admin.email, action: 'login.totp', outcome, detail, ip });
    const now = this.clock();
    const counted = await this.login.countAttempt(adminId, now);
    if (counted.kind === 'refused') {
      await audit('refused', `account locked until ${counted.until.toISOString()}`);
      return { kind: 'locked', until: counted.until };
    }
    const fail = async (kind: 'wrong' | 'replayed', detail: string): Promise<SecondFactorResult> => {
      const until = counted.lockedUntil;
      await audit('failure', until ? `${detail}; account locked until ${until.toISOString()}` : detail);
      return until ? { kind: 'locked', until } : { kind };
    };
    const succeed = async (detail: string): Promise<SecondFactorResult> => {
      await this.login.recordSuccess(adminId, now);
      await audit('success', detail);
      return { kind: 'ok', admin };
    };

    if (!secret) return fail('wrong', 'two-step login is not on for this account');
    const digits = authenticatorCode(code);
    if (digits) {
      const step = totpStep(secret, digits, now);
      if (step === null) return fail('wrong', 'wrong authenticator code');
      return (await this.claimStep(adminId, step))
        ? succeed('authenticator code accepted')
        : fail('replayed', 'authenticator code already used');
    }
    const hash = recoveryCodeHash(code);
    if (hash && (await this.useRecoveryCode(adminId, hash, now)))
      return succeed(`recovery code used; ${await recoveryCodesLeft(this.dataSource, adminId)} left`);
    return fail('wrong', 'wrong code');
  }

  /** Records `step` as the last one used, unless it (or a later one) already was: atomic, so a code wins once. */
  private async claimStep(adminId: number, step: number): Promise<boolean> {
    const claimed = await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(AdminUser)
        .set({ totpLastStep: step })
        .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', { id: adminId, step })
        .execute(),
    );
    return claimed.affected === 1;
  }

  /** Marks an unused recovery code used; false when there is no such unused code. Atomic like {@link claimStep}. */
  private async useRecoveryCode(adminId: number, codeHash: string, now: Date): Promise<boolean> {
    const used = await withSecretParameters(() =>
      inTransaction(this.dataSource, (manager) =>
        manager
          .createQueryBuilder()
          .update(AdminRecoveryCode)
          .set({ usedAt: now })
          .where('admin_id = :adminId AND code_hash = :codeHash AND used_at IS NULL', { adminId, codeHash })
          .execute(),
      ),
    );
    return used.affected === 1;
  }
}
