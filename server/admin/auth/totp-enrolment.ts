import { IsNull, type DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { DomainError, invalidInput, conflict } from '../../domain-error';
import { AdminRecoveryCode } from './admin-recovery-code.entity';
import { AdminUser } from '../admin-user.entity';
import { LOCKED_MESSAGE } from './login-step';
import type { AdminLogin } from './admin-login';
import { recordAudit } from '../audit-log';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import { withSecretParameters } from '../../db/secret-query';
import type { SecretKeyring } from '../../db/secret-envelope';
import { sealContext } from '../../db/sealed-columns';
import { openAdminSecret, TOTP_SECRETS } from './admin-secrets';
import { authenticatorCode, newTotpSecret, otpauthUrl, totpStep } from './totp';

/** Where an admin's two-step login stands. */
export type TotpState = 'off' | 'pending' | 'on';

/** A started enrolment: what the admin's authenticator app needs. Shown to that admin only. */
export interface TotpSetup {
  /** Base32, for typing into the app by hand. */
  readonly secret: string;
  /** The `otpauth://` URI the QR code carries. */
  readonly otpauthUrl: string;
}

/** Where an admin's two-step login stands, from the account row. */
export const totpState = (admin: AdminUser): TotpState => (admin.totpEnabledAt ? 'on' : admin.totpSecret ? 'pending' : 'off');

/** How many of an admin's recovery codes are still unused. */
export const recoveryCodesLeft = (db: DataSource, adminId: number): Promise<number> =>
  db.getRepository(AdminRecoveryCode).countBy({ adminId, usedAt: IsNull() });

/**
 * Turning an admin's two-step login on and off: {@link start} stores a new secret as pending
 * (encrypted with the SECRETS_KEY keyring, like every stored TOTP secret),
 * {@link confirm} switches it on once the admin proves their app has it (and returns the recovery
 * codes, shown once and stored only as hashes), {@link disable} needs the current password.
 * Every change is audited (`totp.setup`, `totp.enable`, `totp.disable`), never with a secret or code.
 */
export class TotpEnrolment {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
    private readonly login: AdminLogin,
    private readonly secrets: SecretKeyring,
  ) {}

  /**
   * Starts (or starts again) with a new pending secret, after checking the current password: a
   * stolen session alone must not be able to tie the account to someone else's authenticator.
   * 409 while two-step login is on; 403/423 for a wrong password, as {@link disable}.
   */
  async start(admin: AdminUser, password: string, ip: string): Promise<TotpSetup> {
    if (totpState(admin) === 'on')
      throw conflict('totp_on', 'Two-step login is already on. Turn it off first to set up a new authenticator.');
    await this.requirePassword(admin, password, ip, 'totp.setup', 'That is not your current password, so two-step login was not set up.');
    const secret = newTotpSecret();
    const sealed = this.secrets.seal(secret, sealContext(TOTP_SECRETS, admin.id));
    await withSecretParameters(() =>
      inTransaction(this.dataSource, async (manager) => {
        await manager.getRepository(AdminUser).update({ id: admin.id }, { totpSecret: sealed, totpEnabledAt: null, totpLastStep: null });
        await recordAudit(manager, {
          adminId: admin.id,
          actor: admin.email,
          action: 'totp.setup',
          outcome: 'success',
          detail: 'new authenticator secret issued',
          ip,
        });
      }),
    );
    return { secret, otpauthUrl: otpauthUrl(secret, admin.email) };
  }

  /** The pending setup again (for the account page); null unless an enrolment is pending. 503 when SECRETS_KEY cannot open it. */
  pendingSetup(admin: AdminUser): TotpSetup | null {
    if (totpState(admin) !== 'pending' || !admin.totpSecret) return null;
    const secret = openAdminSecret(this.secrets, TOTP_SECRETS, admin.id, admin.totpSecret);
    return { secret, otpauthUrl: otpauthUrl(secret, admin.email) };
  }

  /**
   * Switches two-step login on when `code` is right for the pending secret; returns the new
   * recovery codes (replacing any old ones). 409 with nothing pending, 400 for a wrong code.
   */
  async confirm(admin: AdminUser, code: string, ip: string): Promise<string[]> {
    const setup = this.pendingSetup(admin);
    if (!setup) throw conflict('totp_not_pending', 'There is no two-step login set-up to confirm. Start the set-up first.');
    const now = this.clock();
    const digits = authenticatorCode(code);
    const step = digits ? totpStep(setup.secret, digits, now) : null;
    const audit = { adminId: admin.id, actor: admin.email, action: 'totp.enable', ip } as const;
    if (step === null) {
      await recordAudit(this.dataSource, { ...audit, outcome: 'failure', detail: 'wrong authenticator code' });
      throw invalidInput(
        'That code is not right. Type the 6-digit code your authenticator app shows now (check that the phone’s clock is set automatically).',
      );
    }
    const codes = newRecoveryCodes();
    await withSecretParameters(() =>
      inTransaction(this.dataSource, async (manager) => {
        // The step is remembered so the code that confirmed cannot also log in. The stored value
        // (ciphertext) is compared, not the secret: a set-up started again meanwhile stored another.
        const enabled = await manager
          .createQueryBuilder()
          .update(AdminUser)
          .set({ totpEnabledAt: now, totpLastStep: step })
          .where('id = :id AND totp_secret = :stored AND totp_enabled_at IS NULL', { id: admin.id, stored: admin.totpSecret })
          .execute();
        if (enabled.affected !== 1)
          throw conflict(
            'totp_setup_changed',
            'The set-up changed meanwhile (started again in another window?). Reload the page and start again.',
          );
        const recovery = manager.getRepository(AdminRecoveryCode);
        await recovery.delete({ adminId: admin.id });
        await recovery.insert(codes.map((c) => ({ adminId: admin.id, codeHash: recoveryCodeHash(c)!, usedAt: null })));
        await recordAudit(manager, { ...audit, outcome: 'success', detail: `two-step login on; ${codes.length} recovery codes issued` });
      }),
    );
    return codes;
  }

  /**
   * Turns two-step login off (or abandons a pending set-up) after checking the current password.
   * A wrong password counts toward the account's lockout, as at login, so a stolen session cannot
   * be used to guess it: 403 when wrong, 423 when locked, 409 when there is nothing to turn off.
   */
  async disable(admin: AdminUser, password: string, ip: string): Promise<void> {
    if (totpState(admin) === 'off') throw conflict('totp_off', 'Two-step login is already off.');
    const audit = { adminId: admin.id, actor: admin.email, action: 'totp.disable', ip } as const;
    await this.requirePassword(admin, password, ip, audit.action, 'That is not your current password, so two-step login stays on.');
    await inTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(AdminUser).update({ id: admin.id }, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await manager.getRepository(AdminRecoveryCode).delete({ adminId: admin.id });
      await recordAudit(manager, { ...audit, outcome: 'success', detail: 'two-step login off; recovery codes deleted' });
    });
  }

  /**
   * Checks the current password before a change to two-step login. A wrong one counts toward the
   * account's lockout, as at login, so a stolen session cannot be used to guess it; each refusal
   * is audited under `action`. Throws 403 (`wrongMessage`) or 423.
   */
  private async requirePassword(admin: AdminUser, password: string, ip: string, action: string, wrongMessage: string): Promise<void> {
    const audit = { adminId: admin.id, actor: admin.email, action, ip } as const;
    const recheck = await this.login.recheckPassword(admin, password);
    if (recheck.kind === 'locked') {
      await recordAudit(this.dataSource, { ...audit, outcome: 'refused', detail: `account locked until ${recheck.until.toISOString()}` });
      throw new DomainError('locked', 'account_locked', LOCKED_MESSAGE);
    }
    if (recheck.kind === 'wrong') {
      const until = recheck.lockedUntil;
      await recordAudit(this.dataSource, {
        ...audit,
        outcome: 'failure',
        detail: until ? `wrong password; account locked until ${until.toISOString()}` : 'wrong password',
      });
      throw until
        ? new DomainError('locked', 'account_locked', LOCKED_MESSAGE)
        : new DomainError('forbidden', 'wrong_password', wrongMessage);
    }
  }
}
