import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type request from 'supertest';
import { rotateSecrets, sealPlainSecrets } from '../../server/admin/auth/admin-secrets';
import { AdminUser } from '../../server/admin/admin-user.entity';
import { ADMIN, adminBrowser, apiLogin, enableTotp, ensureAdmin, totpCode } from '../support/admin';
import { startRunningStore } from '../support/running-store';
import { createTestStore, useTestStore, type TestStore } from '../support/test-store';
import { useTeardown } from '../support/teardown';
import { databaseUrlOf } from '../support/test-database';

// TOTP secrets and the session-cookie signing secret are stored encrypted with SECRETS_KEY, on
// SQLite and on MariaDB: enrolment, plain secrets from before encryption, a rotation to a new key
// (stores sharing one database, as instances do), and a store started with the wrong key.

const newKey = (): string => randomBytes(32).toString('base64');
const KEY_1 = newKey();
const KEY_2 = newKey();
const WRONG_KEY = newKey();
const LEGACY = { email: 'legacy@shop.test', password: 'the legacy admin passphrase' } as const;
// A secret from before encryption (base32, as it was stored).
const LEGACY_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';

const ROTATE_CLI = path.join(__dirname, '..', '..', 'dist', 'server', 'secrets-rotate-cli.js');

describe('secrets at rest', () => {
  const teardown = useTeardown();
  const store = useTestStore({ SECRETS_KEY: KEY_1 }, teardown);
  let secret: string;
  // Each login happens a step later than the last on every store's clock: a code is accepted once.
  let minutes = 0;

  /** Runs the built `npm run secrets:rotate` with `env`. */
  const rotateCli = (env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [ROTATE_CLI],
        { env: { PATH: process.env.PATH ?? '', DATA_DIR: store.dataDir, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  /** Another store process on the same database (another instance, or the same after a restart). */
  const sibling = (env: Record<string, string>): Promise<TestStore> =>
    teardown.track(createTestStore({ DATABASE_URL: databaseUrlOf(store.config), ...env }), (s) => s.close());

  /** Logs in with password and TOTP code through `on`; returns the code step's response. */
  async function totpLogin(on: TestStore, email: string, password: string, totpSecret: string): Promise<request.Response> {
    minutes += 1;
    on.clock.advanceMinutes(minutes);
    const browser = adminBrowser(on);
    const login = await apiLogin(browser, email, password);
    if (login.status !== 202) return login;
    return browser
      .post('/api/admin/login/totp')
      .set('X-CSRF-Token', login.body.csrfToken as string)
      .send({ code: totpCode(totpSecret, on.clock.now()) });
  }

  const storedSecrets = async (on: TestStore): Promise<string[]> => [
    ...(
      await on.dataSource.query<{ totp_secret: string }[]>('SELECT totp_secret FROM admin_users WHERE totp_secret IS NOT NULL ORDER BY id')
    ).map((r) => r.totp_secret),
    ...(await on.dataSource.query<{ secret: string }[]>('SELECT secret FROM admin_session_secrets')).map((r) => r.secret),
  ];

  // Several scrypt hashes, and stores started on MariaDB, take longer than jest's default on a busy machine.
  beforeAll(async () => {
    await ensureAdmin(store);
    await ensureAdmin(store, LEGACY.email, LEGACY.password);
    const browser = adminBrowser(store);
    const login = await apiLogin(browser);
    ({ secret } = await enableTotp(browser, login.body.csrfToken as string, store.clock.now));
  }, 90_000);

  it('after enrolment the database holds the secret only encrypted, under the current key', async () => {
    const stored = await storedSecrets(store);
    expect(stored).toHaveLength(2);
    const keyId = store.services.secrets.currentKeyId;
    for (const value of stored) expect(value).toMatch(new RegExp(`^sealed:v1:${keyId}:`));
    expect(JSON.stringify(await store.dataSource.query('SELECT * FROM admin_users'))).not.toContain(secret);
    expect((await totpLogin(store, ADMIN.email, ADMIN.password, secret)).status).toBe(200);
  });

  it('a secret stored in plain text before encryption still logs in, and the start-up sweep encrypts it once', async () => {
    await store.dataSource
      .getRepository(AdminUser)
      .update({ email: LEGACY.email }, { totpSecret: LEGACY_SECRET, totpEnabledAt: new Date() });
    expect((await totpLogin(store, LEGACY.email, LEGACY.password, LEGACY_SECRET)).status).toBe(200);

    // A store starting as main.ts starts it (another instance on the same database) seals it.
    const restarted = await teardown.track(startRunningStore({ DATABASE_URL: databaseUrlOf(store.config), SECRETS_KEY: KEY_1 }), (s) =>
      s.stop(),
    );
    expect(restarted.logLines.map((l) => JSON.parse(l) as { msg: string; sealed?: number })).toContainEqual(
      expect.objectContaining({ msg: 'encrypted secrets stored in plain text', sealed: 1 }),
    );
    await restarted.stop();
    const stored = await storedSecrets(store);
    expect(stored.join('\n')).not.toContain(LEGACY_SECRET);
    expect(stored.every((v) => v.startsWith('sealed:v1:'))).toBe(true);
    // Idempotent: nothing left to do, nothing rewritten.
    expect(await sealPlainSecrets(store.dataSource, store.services.secrets, store.logger)).toEqual({
      sealed: 0,
      resealed: 0,
      unreadable: [],
    });
    expect(await storedSecrets(store)).toEqual(stored);
    expect((await totpLogin(store, LEGACY.email, LEGACY.password, LEGACY_SECRET)).status).toBe(200);
  }, 90_000);

  it('a value moved to another row does not open: a clear 503, and the attempt is not counted against the admin', async () => {
    const [own] = await store.dataSource.query<{ totp_secret: string }[]>('SELECT totp_secret FROM admin_users WHERE email = ?', [
      LEGACY.email,
    ]);
    const [other] = await store.dataSource.query<{ totp_secret: string }[]>('SELECT totp_secret FROM admin_users WHERE email = ?', [
      ADMIN.email,
    ]);
    await store.dataSource.query('UPDATE admin_users SET totp_secret = ? WHERE email = ?', [other.totp_secret, LEGACY.email]);
    try {
      const refused = await totpLogin(store, LEGACY.email, LEGACY.password, secret);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('secrets_unreadable');
      expect(refused.body.error.message).toMatch(/cannot decrypt .* SECRETS_KEY/);
      const [row] = await store.dataSource.query<{ failed_logins: number }[]>('SELECT failed_logins FROM admin_users WHERE email = ?', [
        LEGACY.email,
      ]);
      expect(Number(row.failed_logins)).toBe(0);
      expect(store.logLines.join('\n')).toContain('does not decrypt under key');
    } finally {
      await store.dataSource.query('UPDATE admin_users SET totp_secret = ? WHERE email = ?', [own.totp_secret, LEGACY.email]);
    }
  });

  it('rotation: a store with the new key and the old one as previous reads everything; the rotation re-encrypts it all under the new key', async () => {
    const during = await sibling({ SECRETS_KEY: KEY_2, SECRETS_KEY_PREVIOUS: KEY_1 });
    expect((await totpLogin(during, ADMIN.email, ADMIN.password, secret)).status).toBe(200);

    // `npm run secrets:rotate`, as an operator runs it (the built CLI), while the stores serve.
    const rotated = await rotateCli({ DATABASE_URL: databaseUrlOf(store.config), SECRETS_KEY: KEY_2, SECRETS_KEY_PREVIOUS: KEY_1 });
    expect(rotated).toEqual({
      code: 0,
      stdout: expect.stringMatching(/3 re-encrypted from a previous key, 0 encrypted.*\n.*remove SECRETS_KEY_PREVIOUS/),
      stderr: '',
    });
    const newKeyId = during.services.secrets.currentKeyId;
    expect(newKeyId).not.toBe(store.services.secrets.currentKeyId);
    for (const value of await storedSecrets(during)) expect(value).toMatch(new RegExp(`^sealed:v1:${newKeyId}:`));
    expect(await rotateSecrets(during.dataSource, during.services.secrets)).toEqual({ sealed: 0, resealed: 0, unreadable: [] });

    const after = await sibling({ SECRETS_KEY: KEY_2 });
    expect((await totpLogin(after, ADMIN.email, ADMIN.password, secret)).status).toBe(200);
    expect((await totpLogin(after, LEGACY.email, LEGACY.password, LEGACY_SECRET)).status).toBe(200);
  }, 90_000);

  it('the rotation refuses to drop what it cannot read: exit 1, naming the secrets and the fix', async () => {
    const refused = await rotateCli({ DATABASE_URL: databaseUrlOf(store.config), SECRETS_KEY: WRONG_KEY });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^3 stored secret\(s\) open under none of the configured keys \([0-9a-f]{8}\).*admin_users\.totp_secret:\d+.*Add the key they were encrypted with to SECRETS_KEY_PREVIOUS/,
    );
    for (const value of await storedSecrets(store))
      expect(value).not.toMatch(new RegExp(`^sealed:v1:${store.services.secrets.currentKeyId}:`));
  });

  it('a store with a wrong SECRETS_KEY answers every admin request, the login too, with a clear 503 and says why in its log; it does not crash', async () => {
    const wrong = await sibling({ SECRETS_KEY: WRONG_KEY });
    const report = await sealPlainSecrets(wrong.dataSource, wrong.services.secrets, wrong.logger);
    expect(report.unreadable).toEqual([
      expect.stringMatching(/^admin_users\.totp_secret:\d+$/),
      expect.stringMatching(/^admin_users\.totp_secret:\d+$/),
      'admin_session_secrets.secret:cookie_signing',
    ]);
    expect(wrong.logLines.join('\n')).toContain('3 stored secret(s) cannot be decrypted with the configured SECRETS_KEY');

    // The cookie-signing secret is sealed too, so the whole admin (not only the code step) waits for the right key.
    const refused = await adminBrowser(wrong).get('/api/admin/csrf');
    expect(refused.status).toBe(503);
    expect(refused.body.error).toEqual({
      code: 'secrets_unreadable',
      message: expect.stringMatching(/SECRETS_KEY is not the key they were encrypted with/),
    });
    const page = await adminBrowser(wrong).get('/admin/login');
    expect(page.status).toBe(503);
    expect(page.text).toContain('SECRETS_KEY');
    const logs = wrong.logLines.join('\n');
    expect(logs).toMatch(/was encrypted with key [0-9a-f]{8}, which is not among the configured secrets keys/);
    // Still serving.
    await wrong.api.get('/api/products').expect(200);
    // The key the secrets were sealed with still opens them: nothing was overwritten.
    expect((await totpLogin(await sibling({ SECRETS_KEY: KEY_2 }), ADMIN.email, ADMIN.password, secret)).status).toBe(200);
  }, 90_000);
});
