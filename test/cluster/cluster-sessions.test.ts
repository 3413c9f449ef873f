import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { ADMIN, apiLogin, enableTotp, ensureAdmin, totpCode } from '../support/admin';
import { checkoutToken, submitCheckout } from '../support/cluster-shopper';
import { GALERA_PORTS, startStoreCluster, type StoreCluster } from '../support/store-cluster';
import type { TestStore } from '../support/test-store';

describe('sessions over three instances', () => {
  let cluster: StoreCluster;
  let dataSource: DataSource;
  beforeAll(async () => {
    cluster = await startStoreCluster();
    const url = `mysql://padlock:padlock@127.0.0.1:${GALERA_PORTS[1]}/${cluster.databaseName}`;
    dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database);
    await ensureAdmin({ dataSource } as TestStore);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await cluster?.stop();
  });

  it('an admin logged in with a TOTP code through one instance stays logged in on the others', async () => {
    const setup = cluster.agent();
    const first = await apiLogin(setup);
    expect(first.status).toBe(200);
    const csrf = first.body.csrfToken as string;
    const { secret } = await enableTotp(setup, csrf, () => new Date());

    const browser = cluster.agent();
    const served: string[] = [];
    const login = await apiLogin(browser);
    expect(login.status).toBe(202);
    served.push(login.headers['x-padlock-instance']);
    const stepCsrf = login.body.csrfToken as string;
    // The code just used to confirm is spent; the next step's code is within the accepted window.
    const code = totpCode(secret, new Date(Date.now() + 30_000));
    const second = await browser.post('/api/admin/login/totp').set('X-CSRF-Token', stepCsrf).send({ code });
    expect(second.status).toBe(200);
    served.push(second.headers['x-padlock-instance']);

    for (let i = 0; i < 6; i++) {
      const me = await browser.get('/api/admin/me').expect(200);
      expect(JSON.stringify(me.body)).toContain(ADMIN.email);
      served.push(me.headers['x-padlock-instance']);
    }
    expect(new Set(served).size).toBe(3);
    expect(await cluster.agent().get('/api/admin/me')).toHaveProperty('status', 401);
  });

  it('a checkout started on one instance continues on the others', async () => {
    const shopper = cluster.agent();
    const token = await checkoutToken(shopper, 'enamel-mug', 1);
    const served = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const page = await shopper.get(`/checkout/${token}`).expect(200);
      served.add(page.headers['x-padlock-instance']);
    }
    expect(served.size).toBe(3);
    const placed = await submitCheckout(shopper, token);
    expect(placed.status).toBe(303);
    // Submitting again through another instance places no second order.
    await submitCheckout(shopper, token);
    const [[orders]] = (await cluster.db.query('SELECT COUNT(*) AS n FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?', [
      token,
    ])) as unknown as [[{ n: number }]];
    expect(Number(orders.n)).toBe(1);
  });
});
