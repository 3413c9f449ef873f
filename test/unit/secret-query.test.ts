import { QueryFailedError } from 'typeorm';
import { withSecretParameters } from '../../server/db/secret-query';
import { DomainError } from '../../server/domain-error';

describe('queries that carry a secret', () => {
  const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('re-throw a failed query without its SQL or parameters, naming only the driver’s error code', async () => {
    const driverError = Object.assign(new Error(`Duplicate entry '${SECRET}'`), {
      code: 'ER_DUP_ENTRY',
      sql: `UPDATE admin_users SET totp_secret = '${SECRET}'`,
    });
    const failed = new QueryFailedError('UPDATE admin_users SET totp_secret = ?', [SECRET], driverError);
    const thrown = await withSecretParameters(() => Promise.reject(failed)).catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBe(failed);
    expect((thrown as Error).message).toBe('A database query carrying a secret failed (ER_DUP_ENTRY); its details are withheld.');
    expect(JSON.stringify(thrown, Object.getOwnPropertyNames(thrown))).not.toContain(SECRET);
  });

  it('let refusals and results through unchanged', async () => {
    const refusal = new DomainError('conflict', 'totp_setup_changed', 'changed');
    await expect(withSecretParameters(() => Promise.reject(refusal))).rejects.toBe(refusal);
    await expect(withSecretParameters(async () => 42)).resolves.toBe(42);
    await expect(withSecretParameters(() => Promise.reject(new Error('boom')))).rejects.toThrow(
      'A database query carrying a secret failed; its details are withheld.',
    );
  });
});
