import type { Address } from '../../server/orders/address.entity';
import type { OrderLine } from '../../server/orders/order-line.entity';
import type { Order } from '../../server/orders/order.entity';
import { ORDER_STATUSES, nextStatuses, type OrderStatus } from '../../server/orders/order-state';
import { renderMail } from '../../server/notifications/mail-renderer';
import { composeOrderMail, type OrderMailFacts } from '../../server/notifications/order-mail-content';
import { messagesForTransition } from '../../server/notifications/order-messages';

const PUBLIC_URL = 'https://shop.example.com';

function anOrder(overrides: Partial<Order> = {}): Order {
  const address: Address = {
    id: 1,
    name: 'Ada <b>Lovelace</b>',
    line1: '12 Analytical Row',
    line2: null,
    city: 'London',
    region: null,
    postalCode: 'N1 9GU',
    country: 'GB',
  };
  const line = (id: number, name: string, quantity: number, unitPrice: number) =>
    ({ id, orderId: 42, productId: id, name, quantity, unitPrice, lineTotal: quantity * unitPrice }) as OrderLine;
  return {
    id: 42,
    publicId: 'pub_0123456789abcdefghijklmnopqrstuvwxyzABCDE',
    status: 'paid',
    email: 'ada@example.com',
    currency: 'USD',
    subtotal: 4600,
    shippingAmount: 500,
    total: 5100,
    shippingMethod: 'standard',
    shippingAddressId: 1,
    shippingAddress: address,
    billingAddressId: 1,
    billingAddress: address,
    lines: [line(2, 'Linen notebook', 1, 1000), line(1, 'Enamel mug & saucer', 2, 1800)],
    returnUrl: 'https://blog.example.com/shop',
    reviewReason: null,
    trackingNote: null,
    expiresAt: new Date('2026-01-01T12:00:00Z'),
    createdAt: new Date('2026-01-01T11:30:00Z'),
    updatedAt: new Date('2026-01-01T11:40:00Z'),
    ...overrides,
  };
}

function mail(facts: Partial<OrderMailFacts> & Pick<OrderMailFacts, 'kind'>, order: Order = anOrder()) {
  return renderMail(composeOrderMail({ orderStatus: 'paid', amount: null, ...facts }, order, PUBLIC_URL), 'Padlock Store');
}

describe('messagesForTransition', () => {
  const owed = (from: OrderStatus, to: OrderStatus) => messagesForTransition(from, to).map((m) => `${m.audience}:${m.kind}`);

  it.each<[OrderStatus, OrderStatus, string[]]>([
    ['pending_payment', 'paid', ['shopper:order_paid', 'admins:admin_new_order']],
    ['pending_payment', 'on_hold', ['admins:admin_new_order']],
    ['on_hold', 'paid', ['shopper:order_paid']],
    ['paid', 'partially_refunded', ['shopper:order_refunded']],
    ['partially_refunded', 'partially_refunded', ['shopper:order_refunded']],
    ['partially_refunded', 'refunded', ['shopper:order_refunded']],
    ['shipped', 'refunded', ['shopper:order_refunded']],
    ['paid', 'shipped', ['shopper:order_shipped']],
    ['partially_refunded', 'shipped', ['shopper:order_shipped']],
  ])('%s → %s owes %p', (from, to, expected) => {
    expect(owed(from, to)).toEqual(expected);
  });

  it('owes nothing when an order fails, expires or is cancelled', () => {
    const silent = ORDER_STATUSES.flatMap((from) => nextStatuses(from).map((to) => [from, to] as const)).filter(([, to]) =>
      ['payment_failed', 'expired', 'cancelled'].includes(to),
    );
    expect(silent.length).toBeGreaterThan(4);
    for (const [from, to] of silent) expect(owed(from, to)).toEqual([]);
  });
});

describe('order_paid: the shopper’s confirmation', () => {
  const paid = mail({ kind: 'order_paid' });

  it('names the order in the subject', () => {
    expect(paid.subject).toBe('Order PS-000042 confirmed');
  });

  it('lists the lines as placed, the totals, the shipping method and address, and links to the status page (text)', () => {
    expect(paid.text).toContain('Thank you! Your payment is confirmed');
    expect(paid.text).toMatch(/2 × Enamel mug & saucer\s+\$36\.00\n\s+1 × Linen notebook\s+\$10\.00/);
    expect(paid.text).toMatch(/Subtotal\s+\$46\.00/);
    expect(paid.text).toMatch(/Shipping\s+\$5\.00/);
    expect(paid.text).toMatch(/Total\s+\$51\.00/);
    expect(paid.text).toContain('Shipping method: Standard (3–5 working days)');
    expect(paid.text).toContain('Shipping to:\n  Ada <b>Lovelace</b>\n  12 Analytical Row\n  N1 9GU London\n  United Kingdom');
    expect(paid.text).toContain(`View your order: ${PUBLIC_URL}/orders/pub_0123456789abcdefghijklmnopqrstuvwxyzABCDE`);
  });

  it('says the same in HTML, escaping what shoppers typed', () => {
    expect(paid.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    expect(paid.html).not.toContain('<b>Lovelace');
    expect(paid.html).toContain('Enamel mug &amp; saucer');
    expect(paid.html).toContain('$51.00');
    expect(paid.html).toContain(`href="${PUBLIC_URL}/orders/pub_0123456789abcdefghijklmnopqrstuvwxyzABCDE"`);
    expect(paid.html).toContain('<title>Order PS-000042 confirmed</title>');
  });

  it('formats amounts in the order currency, without floats', () => {
    const yen = mail({ kind: 'order_paid' }, anOrder({ currency: 'JPY', subtotal: 4600, shippingAmount: 500, total: 5100 }));
    expect(yen.text).toMatch(/Total\s+¥5,100/);
    const dinar = mail({ kind: 'order_paid' }, anOrder({ currency: 'BHD', subtotal: 4600, shippingAmount: 500, total: 5100 }));
    expect(dinar.text).toMatch(/Total\s+BHD\s5\.100/);
  });
});

describe('order_refunded', () => {
  it('a partial refund says how much of the total has come back so far', () => {
    const partial = mail({ kind: 'order_refunded', orderStatus: 'partially_refunded', amount: 700 });
    expect(partial.subject).toBe('Partial refund for order PS-000042');
    expect(partial.text).toContain('$7.00 of $51.00 so far');
    expect(partial.text).toContain('Refunded so far: $7.00');
    expect(partial.html).toContain('$7.00 of $51.00 so far');
  });

  it('a full refund says the whole order was refunded', () => {
    const full = mail({ kind: 'order_refunded', orderStatus: 'refunded', amount: 5100 });
    expect(full.subject).toBe('Order PS-000042 refunded');
    expect(full.text).toContain('We have refunded $51.00, the whole of your order');
    expect(full.text).toContain('View your order: https://shop.example.com/orders/');
  });
});

describe('order_shipped', () => {
  it('carries the tracking note, escaped in HTML', () => {
    const shipped = mail({ kind: 'order_shipped', orderStatus: 'shipped' }, anOrder({ trackingNote: 'Royal Mail <RM123456789GB>' }));
    expect(shipped.subject).toBe('Order PS-000042 has shipped');
    expect(shipped.text).toContain('Shipping details: Royal Mail <RM123456789GB>');
    expect(shipped.html).toContain('Royal Mail &lt;RM123456789GB&gt;');
  });

  it('leaves the tracking line out when the admin wrote none', () => {
    expect(mail({ kind: 'order_shipped', orderStatus: 'shipped' }).text).not.toContain('Shipping details');
  });
});

describe('admin_new_order', () => {
  it('a paid order: number, status, total and a link to the admin page', () => {
    const admin = mail({ kind: 'admin_new_order', orderStatus: 'paid' });
    expect(admin.subject).toBe('New order PS-000042 paid ($51.00)');
    expect(admin.text).toContain('Status: Paid');
    expect(admin.text).toContain('Total: $51.00');
    expect(admin.text).toContain('Customer: ada@example.com');
    expect(admin.text).toContain(`Open the order in the admin: ${PUBLIC_URL}/admin/orders/42`);
    expect(admin.text).not.toContain('/orders/pub_');
  });

  it('a held order asks for a decision and says why it needs review', () => {
    const held = mail(
      { kind: 'admin_new_order', orderStatus: 'on_hold' },
      anOrder({ status: 'on_hold', reviewReason: 'address_check_failed' }),
    );
    expect(held.subject).toBe('New order PS-000042 on hold ($51.00)');
    expect(held.text).toContain('Status: On hold');
    expect(held.text).toContain('capture or void it in the admin');
    expect(held.text).toContain('Needs review: address check failed');
  });
});
