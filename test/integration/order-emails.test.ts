import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';
import { AdminUser } from '../../server/admin/admin-user.entity';
import { openDatabase } from '../../server/database';
import { inTransaction } from '../../server/db/transaction';
import { MailDeliveryError } from '../../server/notifications/mail-transport';
import { createMailTransport, createOutboxWorker } from '../../server/notifications/outbox-setup';
import type { OutboxWorker, OutboxWorkerOptions } from '../../server/notifications/outbox-worker';
import { Order } from '../../server/orders/order.entity';
import { orderNumber } from '../../server/orders/order-presentation';
import { holdRefusingPort } from '../support/loopback';
import { BRAINTREE_AVS_POSTAL_MISMATCH, orderRow, paymentsOf, placeOrder } from '../support/payments';
import { SmtpSink, type ReceivedMail, type SinkAnswer } from '../support/smtp-sink';
import { testEngine } from '../support/test-database';
import { useTeardown } from '../support/teardown';
import { useTestStore, type TestStore } from '../support/test-store';

const SMTP_LOGIN = { user: 'padlock-mailer', password: 'p@ss:w0rd/with%odd chars' };
const MAIL_FROM = 'Padlock Test Shop <shop@padlock.test>';
const ADMINS = ['owner@shop.test', 'packer@warehouse.test'];
const SHOPPER = 'ada@example.com';
const MESSAGE_ID = /^<outbox-\d+\.[A-Za-z0-9_-]{43}@padlock\.test>$/;

interface OutboxRow {
  id: number;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

async function outboxOf(store: TestStore, orderId?: number): Promise<OutboxRow[]> {
  const rows: Record<string, unknown>[] = await store.dataSource.query(
    `SELECT id, kind, recipient, status, attempts, last_error FROM outbox_messages ${orderId === undefined ? '' : 'WHERE order_id = ?'} ORDER BY id`,
    orderId === undefined ? [] : [orderId],
  );
  return rows.map((r) => ({ ...(r as unknown as OutboxRow), id: Number(r.id), attempts: Number(r.attempts) }));
}

/** Pays a new order with Braintree's sandbox nonce; with the mismatching billing address under AVS_POLICY=hold it is held instead. */
async function paidOrder(store: TestStore, form: Record<string, string> = {}): Promise<{ orderId: number; publicId: string }> {
  const { token, orderId, publicId } = await placeOrder(store, { form });
  await store.api.post(`/checkout/${token}/pay/braintree`).type('form').send({ nonce: 'fake-valid-nonce' }).expect(303);
  return { orderId, publicId };
}

async function setAdmins(store: TestStore, emails: readonly string[]): Promise<void> {
  await inTransaction(store.dataSource, async (manager) => {
    await manager.createQueryBuilder().delete().from(AdminUser).execute();
    for (const email of emails) await manager.insert(AdminUser, { email, passwordHash: 'unused-in-these-tests' });
  });
}

/** A second store instance's worker, on its own database connection (another process, as far as the database can tell). */
async function otherInstance(
  store: TestStore,
  overrides: Partial<OutboxWorkerOptions> = {},
): Promise<{ worker: OutboxWorker; dataSource: DataSource }> {
  const dataSource = await openDatabase(store.config.database);
  return { worker: createOutboxWorker(dataSource, store.config, store.logger, { clock: store.clock.now, ...overrides }), dataSource };
}

/** A worker of this store whose clock runs `ms` ahead: to reach retry times and lease expiries without waiting. */
function workerLater(store: TestStore, ms: number, overrides: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  return createOutboxWorker(store.dataSource, store.config, store.logger, {
    clock: () => new Date(store.clock.now().getTime() + ms),
    ...overrides,
  });
}

const LEASE_MS = 120_000;

describe('order e-mails over SMTP', () => {
  const teardown = useTeardown();
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await teardown.track(new SmtpSink(SMTP_LOGIN).start(), (sink) => sink.close());
  });
  // Closed before the sink (its outbox worker stops first).
  const store = useTestStore(() => ({ SMTP_URL: smtp.url, MAIL_FROM, AVS_POLICY: 'hold' }), teardown);

  beforeEach(async () => {
    smtp.reset();
    await setAdmins(store, ADMINS);
  });

  it('a paid order: writes the confirmation and one message per admin with the change, and sends each once', async () => {
    const { orderId, publicId } = await paidOrder(store);
    expect((await orderRow(store, orderId)).status).toBe('paid');
    // Written in the transaction that paid the order, before any worker ran.
    expect((await outboxOf(store, orderId)).map((m) => [m.kind, m.recipient, m.status])).toEqual([
      ['order_paid', SHOPPER, 'pending'],
      ['admin_new_order', ADMINS[0], 'pending'],
      ['admin_new_order', ADMINS[1], 'pending'],
    ]);

    expect(await store.services.outbox.runOnce()).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([SHOPPER, ...ADMINS].sort());
    expect((await outboxOf(store, orderId)).map((m) => [m.status, m.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    // Nothing is due any more: a second run sends nothing.
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(3);

    const [confirmation] = smtp.to(SHOPPER);
    const mail = confirmation.parsed;
    expect(confirmation.user).toBe(SMTP_LOGIN.user);
    expect(mail.subject).toBe(`Order ${orderNumber(orderId)} confirmed`);
    expect(mail.from?.value).toEqual([{ name: 'Padlock Test Shop', address: 'shop@padlock.test' }]);
    expect(mail.messageId).toMatch(MESSAGE_ID);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const statusPage = `${store.config.publicUrl}/orders/${publicId}`;
    expect(mail.text).toContain(statusPage);
    expect(mail.text).toMatch(/1 × Enamel Mug\s+\$18\.00/);
    expect(mail.text).toMatch(/Total\s+\$23\.00/);
    expect(mail.text).toContain('12 Analytical Row');
    expect(mail.html).toContain(`href="${statusPage}"`);
    expect(mail.html).toContain('$23.00');
    // No payment reference: the gateway's transaction id appears nowhere in the message.
    const paymentRef = String((await paymentsOf(store, orderId))[0].payment_ref);
    expect(`${mail.text}${mail.html}${JSON.stringify([...mail.headers])}`).not.toContain(paymentRef);

    for (const admin of ADMINS) {
      const [notice] = smtp.to(admin);
      expect(notice.parsed.subject).toBe(`New order ${orderNumber(orderId)} paid ($23.00)`);
      expect(notice.parsed.text).toContain(`${store.config.publicUrl}/admin/orders/${orderId}`);
      expect(notice.parsed.text).toContain(`Customer: ${SHOPPER}`);
    }
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(3);
  });

  it('a held order: the admins are told, the shopper is not (yet)', async () => {
    const { orderId } = await paidOrder(store, BRAINTREE_AVS_POSTAL_MISMATCH);
    expect((await orderRow(store, orderId)).status).toBe('on_hold');
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(smtp.received.map((m) => m.to).sort()).toEqual([...ADMINS].sort());
    expect(smtp.received[0].parsed.subject).toBe(`New order ${orderNumber(orderId)} on hold ($23.00)`);
    expect(smtp.received[0].parsed.text).toContain('Needs review: address check failed');
  });

  it('refunds and shipping: the shopper hears of each, with the amounts and the tracking note', async () => {
    const { orderId } = await paidOrder(store);
    const ref = String((await paymentsOf(store, orderId))[0].payment_ref);
    store.sandboxes.braintree!.settleNow(ref);
    await store.services.refunds.refundOrder(orderId, { amount: 1000, currency: 'USD' });
    await inTransaction(store.dataSource, async (manager) => {
      await manager.update(Order, { id: orderId }, { trackingNote: 'Royal Mail <RM123456789GB>' });
      await store.services.transitions.apply(manager, await manager.findOneByOrFail(Order, { id: orderId }), {
        to: 'shipped',
        reason: 'Marked shipped',
      });
    });
    await store.services.refunds.refundOrder(orderId, { amount: 1300, currency: 'USD' });
    expect((await orderRow(store, orderId)).status).toBe('refunded');

    await store.services.outbox.runOnce();
    const number = orderNumber(orderId);
    const toShopper = smtp.to(SHOPPER).map((m) => m.parsed);
    expect(toShopper.map((m) => m.subject)).toEqual([
      `Order ${number} confirmed`,
      `Partial refund for order ${number}`,
      `Order ${number} has shipped`,
      `Order ${number} refunded`,
    ]);
    expect(toShopper[1].text).toContain('$10.00 of $23.00 so far');
    expect(toShopper[2].text).toContain('Shipping details: Royal Mail <RM123456789GB>');
    expect(toShopper[2].html).toContain('Royal Mail &lt;RM123456789GB&gt;');
    expect(toShopper[3].text).toContain('We have refunded $23.00, the whole of your order');
  });

  it('a change that rolls back leaves no message behind', async () => {
    const { orderId } = await paidOrder(store);
    await store.services.outbox.runOnce();
    const before = await outboxOf(store, orderId);
    await expect(
      inTransaction(store.dataSource, async (manager) => {
        await store.services.transitions.apply(manager, await manager.findOneByOrFail(Order, { id: orderId }), {
          to: 'shipped',
          reason: 'Marked shipped',
        });
        throw new Error('the admin action failed after the transition');
      }),
    ).rejects.toThrow('the admin action failed');
    expect((await orderRow(store, orderId)).status).toBe('paid');
    expect(await outboxOf(store, orderId)).toEqual(before);
  });

  it('without admin accounts only the shopper is written to', async () => {
    await setAdmins(store, []);
    const { orderId } = await paidOrder(store);
    expect((await outboxOf(store, orderId)).map((m) => m.kind)).toEqual(['order_paid']);
    await store.services.outbox.runOnce();
    expect(smtp.received.map((m) => m.to)).toEqual([SHOPPER]);
  });

  it('a temporary refusal (451) is retried after the backoff and delivered once', async () => {
    await setAdmins(store, []);
    smtp.onArrival = ({ index }) => (index === 1 ? 'reject' : 'accept');
    const { orderId } = await paidOrder(store);
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    const [row] = await outboxOf(store, orderId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('451') });
    // Not due before its backoff (30 s after the first attempt)…
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await workerLater(store, 25_000).runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    // …then sent.
    expect(await workerLater(store, 31_000).runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect((await outboxOf(store, orderId))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives a message up after its last attempt', async () => {
    await setAdmins(store, []);
    smtp.onArrival = () => 'reject';
    const { orderId } = await paidOrder(store);
    const impatient = workerLater(store, 0, { maxAttempts: 2, retryDelayMs: () => 0 });
    expect(await impatient.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await impatient.runOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await impatient.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await outboxOf(store, orderId))[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('a recipient the server refuses for good (550) fails at once without holding up the others', async () => {
    smtp.refusedRecipients.add('nobody@refused.test');
    const { orderId } = await paidOrder(store, { email: 'nobody@refused.test' });
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 2, retried: 0, failed: 1 });
    expect((await outboxOf(store, orderId)).map((m) => [m.recipient, m.status])).toEqual([
      ['nobody@refused.test', 'failed'],
      [ADMINS[0], 'sent'],
      [ADMINS[1], 'sent'],
    ]);
  });

  it('an unreachable server is a temporary failure that names the connection problem', async () => {
    const down = await holdRefusingPort();
    const transport = createMailTransport({ kind: 'smtp', url: `smtp://127.0.0.1:${down.port}` });
    const mail = {
      messageId: '<outbox-0.test@padlock.test>',
      from: { name: null, address: 'shop@padlock.test' },
      to: SHOPPER,
      subject: 'S',
      text: 'T',
      html: '<p>T</p>',
    };
    const failure = await transport.send(mail, AbortSignal.timeout(10_000)).then(
      () => null,
      (err: unknown) => err,
    );
    transport.close();
    down.release();
    expect(failure).toBeInstanceOf(MailDeliveryError);
    expect((failure as MailDeliveryError).permanent).toBe(false);
    expect((failure as MailDeliveryError).message).toMatch(/^SMTP E[A-Z]+.*: .*ECONNREFUSED/);
  });

  it('logs the outbox id, kind and recipient domain, never bodies, addresses or the SMTP password', async () => {
    await paidOrder(store);
    await store.services.outbox.runOnce();
    const sentLines = store.logLines.filter((l) => l.includes('e-mail sent')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(sentLines.length).toBeGreaterThanOrEqual(3);
    expect(sentLines).toContainEqual(
      expect.objectContaining({ kind: 'order_paid', recipientDomain: 'example.com', outboxId: expect.any(Number) }),
    );
    const all = store.logLines.join('\n');
    for (const secret of [
      SMTP_LOGIN.password,
      encodeURIComponent(SMTP_LOGIN.password),
      SHOPPER,
      ADMINS[0],
      'Thank you! Your payment',
      'Analytical Row',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('order e-mails when the worker stops or dies mid-way', () => {
  const teardown = useTeardown();
  let smtp: SmtpSink;
  let other: { worker: OutboxWorker; dataSource: DataSource } | undefined;

  beforeAll(async () => {
    smtp = await teardown.track(new SmtpSink(SMTP_LOGIN).start(), (sink) => sink.close());
  });
  const store = useTestStore(() => ({ SMTP_URL: smtp.url, MAIL_FROM }), teardown);
  beforeAll(async () => {
    await setAdmins(store, ADMINS);
  });
  beforeEach(() => smtp.reset());
  afterEach(async () => {
    if (other?.dataSource.isInitialized) await other.dataSource.destroy();
    other = undefined;
  });

  /** Three paid orders: nine messages waiting, all written before any worker runs. */
  async function nineMessages(): Promise<OutboxRow[]> {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await paidOrder(store)).orderId);
    const rows = (await outboxOf(store)).filter((m) => m.status === 'pending');
    expect(rows).toHaveLength(9);
    return rows;
  }

  /** Every outbox row was delivered, and a receiver that keeps one copy per Message-ID has exactly one of each. */
  function expectEachDeliveredOnce(rows: OutboxRow[], received: readonly ReceivedMail[]): void {
    const ids = received.map((m) => m.messageId);
    expect(ids.every((id) => MESSAGE_ID.test(id))).toBe(true);
    const byRow = new Map(rows.map((r) => [r.id, ids.filter((id) => id.startsWith(`<outbox-${r.id}.`))]));
    for (const [id, copies] of byRow) expect([id, new Set(copies).size]).toEqual([id, 1]);
    expect(new Set(ids).size).toBe(rows.length);
  }

  /**
   * Runs another instance's worker, which dies while the server holds the fourth message: it never
   * hears the server's `answer` and never writes to the database again.
   */
  async function dieAtFourthMessage(answer: SinkAnswer): Promise<void> {
    const dying = (other = await otherInstance(store));
    smtp.onArrival = async ({ index }) => {
      if (index !== 4) return 'accept';
      await dying.dataSource.destroy();
      return answer;
    };
    await expect(dying.worker.runOnce()).rejects.toThrow();
  }

  async function allSent(rows: OutboxRow[]): Promise<void> {
    const now = await outboxOf(store);
    expect(now.filter((m) => rows.some((r) => r.id === m.id)).map((m) => m.status)).toEqual(rows.map(() => 'sent'));
  }

  it('stopped after three sends, a new worker sends the other six: nine deliveries, none twice', async () => {
    const rows = await nineMessages();
    other = await otherInstance(store);
    const first = other.worker;
    smtp.onArrival = ({ index }) => {
      // The stop arrives while the third message is in flight: it is finished and recorded first.
      if (index === 3) void first.stop();
      return 'accept';
    };
    expect(await first.runOnce()).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(3);

    expect(await store.services.outbox.runOnce()).toEqual({ sent: 6, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(9);
    expectEachDeliveredOnce(rows, smtp.received);
    await allSent(rows);
  });

  it('dying before the server accepted the fourth: that one is sent once its lease runs out, nothing twice', async () => {
    const rows = await nineMessages();
    // The server then drops the message the dead worker never heard back about.
    await dieAtFourthMessage('reject');
    expect(smtp.received).toHaveLength(3);
    const inFlight = (await outboxOf(store)).filter((m) => m.status === 'sending');
    expect(inFlight).toHaveLength(1);

    // A restarted worker sends the rest, but leaves the dead worker's claim alone until its lease runs out.
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 5, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(8);
    expect(await workerLater(store, LEASE_MS + 1000).runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(9);
    expect(smtp.received[8].messageId.startsWith(`<outbox-${inFlight[0].id}.`)).toBe(true);
    expectEachDeliveredOnce(rows, smtp.received);
    await allSent(rows);
  });

  it('dying after the server accepted the fourth but before recording it: one resend, with the same Message-ID', async () => {
    const rows = await nineMessages();
    await dieAtFourthMessage('accept');
    expect(smtp.received).toHaveLength(4);
    const accepted = smtp.received[3];

    expect(await store.services.outbox.runOnce()).toEqual({ sent: 5, retried: 0, failed: 0 });
    expect(await workerLater(store, LEASE_MS + 1000).runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    // The server saw the fourth message twice, as the same message: same Message-ID, recipient and content.
    expect(smtp.received).toHaveLength(10);
    const resent = smtp.received[9];
    expect(resent.messageId).toBe(accepted.messageId);
    expect([resent.to, resent.parsed.subject, resent.parsed.text]).toEqual([accepted.to, accepted.parsed.subject, accepted.parsed.text]);
    expectEachDeliveredOnce(rows, smtp.received);
    await allSent(rows);
  });

  it('two instances running at once never send the same message twice', async () => {
    const rows = await nineMessages();
    // better-sqlite3 waits for a lock synchronously, so two connections in one process would block
    // each other: SQLite instances are separate processes. Here the second worker shares the
    // connection; its claims still race the first one's.
    const second =
      testEngine() === 'sqlite'
        ? createOutboxWorker(store.dataSource, store.config, store.logger)
        : (other = await otherInstance(store)).worker;
    const [a, b] = await Promise.all([second.runOnce(), store.services.outbox.runOnce()]);
    expect(a.sent + b.sent).toBe(9);
    expect(Math.min(a.sent, b.sent)).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(9);
    expectEachDeliveredOnce(rows, smtp.received);
    await allSent(rows);
  });
});

describe('order e-mails in development: .eml files under DATA_DIR/mail', () => {
  const store = useTestStore();

  it('writes each message as an RFC 822 file named by its Message-ID; a resend replaces it', async () => {
    const { orderId, publicId } = await paidOrder(store);
    expect(await store.services.outbox.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const dir = path.join(store.dataDir, 'mail');
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(fs.readFileSync(path.join(dir, files[0])));
    expect(mail.messageId).toBe(`<${files[0].replace(/\.eml$/, '')}@localhost>`);
    expect(mail.subject).toBe(`Order ${orderNumber(orderId)} confirmed`);
    expect(mail.from?.text).toBe('"Padlock Store" <store@localhost>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(SHOPPER);
    expect(mail.text).toContain(`${store.config.publicUrl}/orders/${publicId}`);
    expect(mail.html).toContain('Thank you for your order');

    // As if the worker had died after writing the file but before recording it.
    await inTransaction(store.dataSource, (manager) => manager.query("UPDATE outbox_messages SET status = 'sending'"));
    expect(await workerLater(store, LEASE_MS + 1000).runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(fs.readdirSync(dir)).toEqual(files);
  });
});
