import { createHmac } from 'node:crypto';
import type request from 'supertest';
import { ADMIN, adminBrowser, apiLogin, enableTotp, ensureAdmin } from '../support/admin';
import { findLeaks, type CapturedOutput, type RegisteredSecret } from '../support/secret-scan';
import { configSecrets, storedSecrets } from '../support/store-secrets';
import { createTestStore, useTestStore } from '../support/test-store';
import { useTeardown } from '../support/teardown';
import { databaseUrlOf } from '../support/test-database';

// Error answers never carry a secret: every kind of error the store gives (refused callbacks,
// malformed bodies, CSRF, unknown pages, a broken database, a wrong SECRETS_KEY) is collected, and
// every secret the store holds is looked for in the bodies and headers, and in its log.

describe('error answers carry no secret', () => {
  const teardown = useTeardown();
  const store = useTestStore({}, teardown);
  const answers: CapturedOutput[] = [];
  let secrets: RegisteredSecret[];

  const keep = (label: string, res: request.Response): request.Response => {
    answers.push({ source: `${label}: ${res.status}`, text: `${JSON.stringify(res.headers)}\n${res.text ?? ''}` });
    return res;
  };

  // Three stores, scrypt hashes and some twenty requests: longer than jest's default on MariaDB on a busy machine.
  beforeAll(async () => {
    await ensureAdmin(store);
    const browser = adminBrowser(store);
    const login = await apiLogin(browser);
    const { secret } = await enableTotp(browser, login.body.csrfToken as string, store.clock.now);
    secrets = [
      ...configSecrets(store.config),
      ...(await storedSecrets(store.config, store.dataSource)),
      { source: 'admin password', value: ADMIN.password },
    ];
    expect(secrets.map((s) => s.source)).toEqual(
      expect.arrayContaining([
        'SECRETS_KEY',
        'STRIPE_WEBHOOK_SECRET',
        'BRAINTREE_PRIVATE_KEY',
        'admin_users.totp_secret',
        'admin_session_secrets.secret',
      ]),
    );
    expect(secrets.map((s) => s.value)).toContain(secret);

    const api = store.api;
    const payload = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed', data: { object: {} } });
    // Signed with a wrong secret, and with the right one over other bytes.
    const forged = createHmac('sha256', 'whsec_wrong').update(`1700000000.${payload}`).digest('hex');
    keep('forged Stripe callback', await api.post('/webhooks/stripe').set('Stripe-Signature', `t=1700000000,v1=${forged}`).send(payload));
    keep('unsigned Braintree callback', await api.post('/webhooks/braintree').type('form').send({ bt_signature: 'x|y', bt_payload: 'zz' }));
    keep('unknown gateway callback', await api.post('/webhooks/other').send('{}'));
    keep('malformed JSON', await api.post('/api/carts').set('Content-Type', 'application/json').send('{"items":'));
    keep('unknown API route', await api.get('/api/nothing-here'));
    keep('unknown checkout', await api.get('/checkout/not-a-token'));
    keep('unknown page', await api.get('/no/such/page'));

    const admin = adminBrowser(store);
    keep('admin page, logged out', await admin.get('/admin/orders'));
    keep('admin API, logged out', await admin.get('/api/admin/orders'));
    keep('login without CSRF', await admin.post('/api/admin/login').send({ email: ADMIN.email, password: ADMIN.password }));
    keep('wrong password', await apiLogin(admin, ADMIN.email, `${ADMIN.password} not`));
    const half = await apiLogin(admin);
    keep(
      'wrong code',
      await admin
        .post('/api/admin/login/totp')
        .set('X-CSRF-Token', half.body.csrfToken as string)
        .send({ code: '000000' }),
    );
    keep('set-up while logged in half way', await admin.post('/api/admin/account/totp').send({ password: ADMIN.password }));

    // The same database opened with another key: the admin answers 503, naming SECRETS_KEY.
    const wrongKey = await teardown.track(
      createTestStore({ DATABASE_URL: databaseUrlOf(store.config), SECRETS_KEY: 'lkS0d7mkJx1vVt4YfQ2qT6wCzB8nR3pH5gU9aE0iOyM=' }),
      (s) => s.close(),
    );
    keep('wrong SECRETS_KEY, page', await adminBrowser(wrongKey).get('/admin/login'));
    keep('wrong SECRETS_KEY, API', await adminBrowser(wrongKey).get('/api/admin/csrf'));
    answers.push({ source: 'log of the store with the wrong key', text: wrongKey.logLines.join('\n') });

    // A store whose database went away: internal errors.
    const broken = await teardown.track(createTestStore({ DATABASE_URL: databaseUrlOf(store.config) }), (s) => s.close());
    await broken.dataSource.destroy();
    // Connected again before the store closes, so that it closes as usual.
    teardown.defer(() => broken.dataSource.initialize());
    keep('database gone, page', await adminBrowser(broken).get('/admin/login'));
    keep('database gone, API', await broken.api.post('/api/carts').send({}));
    answers.push({ source: 'log of the store whose database went away', text: broken.logLines.join('\n') });
  }, 120_000);

  it('collected 4xx and 5xx answers of every kind', () => {
    const statuses = answers.map((a) => Number(/: (\d+)$/.exec(a.source)?.[1])).filter(Boolean);
    expect(statuses.filter((s) => s >= 400 && s < 500).length).toBeGreaterThanOrEqual(10);
    expect(statuses).toEqual(expect.arrayContaining([500, 503]));
  });

  it('no secret is in any error answer, its headers, or the logs', () => {
    const outputs = [...answers, { source: 'log of the store', text: store.logLines.join('\n') }];
    expect(findLeaks(secrets, outputs)).toEqual([]);
  });

  it('no error answer shows a stack trace or a query', () => {
    for (const answer of answers.filter((a) => !a.source.startsWith('log'))) {
      expect({ answer: answer.source, text: answer.text }).toEqual({
        answer: answer.source,
        text: expect.not.stringMatching(/\n\s+at |node_modules|SELECT |INSERT /),
      });
    }
  });
});
