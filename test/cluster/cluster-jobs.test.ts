import fs from 'node:fs';
import path from 'node:path';
import { markPaid, refundEvent } from '../support/cluster-payments';
import { checkoutToken, submitCheckout } from '../support/cluster-shopper';
import { startStoreCluster, type StoreCluster } from '../support/store-cluster';

const INTERVAL_SECONDS = 5;

describe('background jobs on three instances', () => {
  let cluster: StoreCluster;
  beforeAll(async () => {
    cluster = await startStoreCluster({ RECONCILE_INTERVAL_SECONDS: String(INTERVAL_SECONDS), MAIL_INTERVAL_SECONDS: '1' });
  });
  afterAll(() => cluster?.stop());

  it('reconciliation runs once per interval across all three, and each outbox message is sent by exactly one', async () => {
    // Watch the reconciliation lease: each run takes it anew, so each new lease_until is one run.
    const runs: { holder: string; until: number }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [rows] = (await cluster.db.query(
          "SELECT holder, lease_until FROM job_leases WHERE name = 'payment-reconciliation'",
        )) as unknown as [{ holder: string; lease_until: Date }[]];
        const row = rows[0];
        if (row && runs.at(-1)?.until !== row.lease_until.getTime()) runs.push({ holder: row.holder, until: row.lease_until.getTime() });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Six refunded orders: six shopper e-mails in the outbox, for three workers to share.
    const agent = cluster.agent();
    const events = [];
    for (let i = 0; i < 6; i++) {
      const token = await checkoutToken(agent, 'enamel-mug', 1);
      expect((await submitCheckout(agent, token)).status).toBe(303);
      events.push(refundEvent(cluster, await markPaid(cluster, token)));
    }
    for (const event of events) expect((await event.deliver(cluster.agent())).status).toBe(200);

    await new Promise((r) => setTimeout(r, 3.5 * INTERVAL_SECONDS * 1000));
    watching = false;
    await watcher;

    // About one run per interval (the first after start-up), never two in the same interval.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const gaps = runs.slice(1).map((run, i) => run.until - runs[i].until);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual((INTERVAL_SECONDS - 1) * 1000 - 100);

    const [messages] = (await cluster.db.query('SELECT status, attempts FROM outbox_messages')) as unknown as [
      { status: string; attempts: number }[],
    ];
    expect(messages).toHaveLength(6);
    expect(messages.map((m) => `${m.status}/${m.attempts}`)).toEqual(Array(6).fill('sent/1'));
    const mailed = cluster.instances.map((instance) => {
      const dir = path.join(instance.dataDir, 'mail');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length : 0;
    });
    expect(mailed.reduce((a, b) => a + b, 0)).toBe(6);
  });
});
