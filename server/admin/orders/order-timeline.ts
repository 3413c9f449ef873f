import type { DataSource } from 'typeorm';
import { AuditEntry } from '../audit-entry.entity';
import { OrderEvent } from '../../orders/order-event.entity';
import { GatewayEvent } from '../../payments/gateway-event.entity';
import { statusLabel } from './order-status-labels';

/** One line of an order's payment timeline. */
export interface TimelineEntry {
  readonly at: Date;
  readonly kind: 'status' | 'gateway' | 'admin';
  readonly title: string;
  readonly detail: string | null;
}

const KIND_ORDER: Readonly<Record<TimelineEntry['kind'], number>> = { gateway: 0, status: 1, admin: 2 };

/** The audit-log target naming an order. */
export const orderTarget = (orderId: number): string => `order ${orderId}`;

/**
 * Everything that happened to an order, oldest first: every gateway callback stored for it, every
 * admin action on it (successful or not) and every status change with its reason.
 */
export async function orderTimeline(dataSource: DataSource, orderId: number): Promise<TimelineEntry[]> {
  const [events, callbacks, actions] = await Promise.all([
    dataSource.getRepository(OrderEvent).find({ where: { orderId }, order: { id: 'ASC' } }),
    dataSource.getRepository(GatewayEvent).find({ where: { orderId }, order: { id: 'ASC' } }),
    dataSource.getRepository(AuditEntry).find({ where: { target: orderTarget(orderId) }, order: { id: 'ASC' } }),
  ]);
  const entries: TimelineEntry[] = [
    ...callbacks.map((c) => ({
      at: c.receivedAt,
      kind: 'gateway' as const,
      title: `${c.gateway === 'stripe' ? 'Stripe' : 'Braintree'} callback: ${c.type}`,
      detail: c.outcome,
    })),
    ...actions.map((a) => ({
      at: a.createdAt,
      kind: 'admin' as const,
      title: `${a.actor}: ${a.action.replace(/^order\./, '')} (${a.outcome})`,
      detail: a.detail,
    })),
    ...events.map((e) => ({
      at: e.createdAt,
      kind: 'status' as const,
      title: e.fromStatus ? `${statusLabel(e.fromStatus)} → ${statusLabel(e.toStatus)}` : statusLabel(e.toStatus),
      detail: e.reason,
    })),
  ];
  // Times have one-second resolution. Within a second: a callback before the status change it
  // caused (same transaction), and an admin action after its effect (it is logged once done).
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.index - b.index)
    .map(({ entry }) => entry);
}
