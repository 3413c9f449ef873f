import type { DataSource } from 'typeorm';
import { Order } from '../../orders/order.entity';
import type { OrderFilters } from './order-filters';
import { orderIdFromNumber } from './order-filters';

/** One page of the admin's order list, newest first. */
export interface OrderListPage {
  readonly orders: Order[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
}

export const ORDER_PAGE_SIZE = 25;

/** The orders matching `filters`, newest first (then by id, so pages never overlap). */
export async function listOrders(dataSource: DataSource, filters: OrderFilters): Promise<OrderListPage> {
  const qb = dataSource.getRepository(Order).createQueryBuilder('o');
  if (filters.status === 'flagged') qb.andWhere('o.review_reason IS NOT NULL');
  else if (filters.status) qb.andWhere('o.status = :status', { status: filters.status });
  if (filters.from) qb.andWhere('o.created_at >= :from', { from: new Date(`${filters.from}T00:00:00Z`) });
  if (filters.to) qb.andWhere('o.created_at < :to', { to: new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000) });
  if (filters.q) {
    const id = orderIdFromNumber(filters.q);
    // '!' escapes LIKE's wildcards: a backslash means different things in MariaDB and SQLite literals.
    const email = `%${filters.q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    if (id !== null) qb.andWhere("(o.id = :id OR LOWER(o.email) LIKE :email ESCAPE '!')", { id, email });
    else qb.andWhere("LOWER(o.email) LIKE :email ESCAPE '!'", { email });
  }
  const total = await qb.getCount();
  const pages = Math.max(1, Math.ceil(total / ORDER_PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const orders = await qb
    .orderBy('o.created_at', 'DESC')
    .addOrderBy('o.id', 'DESC')
    .skip((page - 1) * ORDER_PAGE_SIZE)
    .take(ORDER_PAGE_SIZE)
    .getMany();
  return { orders, total, page, pageSize: ORDER_PAGE_SIZE, pages };
}
