import { Router, type Response } from 'express';
import Joi from 'joi';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../domain-error';
import { knownError, statusOf } from '../../http/error-handler';
import type { PageRenderer } from '../../http/page-renderer';
import { checkInput, validate } from '../../validation';
import { formatMoney, money } from '../../money';
import { orderNumber } from '../../orders/order-presentation';
import { adminContext } from '../auth/admin-auth';
import { adminActor } from '../admin-actor';
import { adminLayout, adminTime } from '../admin-layout';
import { actionInput, ORDER_ACTIONS, type AdminOrderActions, type OrderActionName } from './admin-order-actions';
import { loadOrderDetail, type OrderDetail } from './order-detail';
import { orderFiltersSchema, STATUS_FILTER_LABELS, type OrderFilters } from './order-filters';
import { listOrders } from './order-list';
import { statusLabel } from './order-status-labels';
import { formField } from '../../http/form-field';

const idParams = Joi.object<{ id: number }>({ id: Joi.number().integer().min(1).max(2_147_483_647).required() });
const actionParams = Joi.object<{ id: number; action: OrderActionName }>({
  id: idParams.extract('id'),
  action: Joi.string()
    .valid(...ORDER_ACTIONS)
    .required(),
});

const DONE: Readonly<Record<OrderActionName, string>> = {
  capture: 'Payment captured.',
  void: 'Payment voided and order cancelled.',
  cancel: 'Order cancelled.',
  refund: 'Refund done.',
  ship: 'Order marked shipped.',
  resync: 'Re-synced with the gateway.',
};

/** The order list (`GET /admin/orders`) and order pages with their action forms. */
export function adminOrderPages(dataSource: DataSource, actions: AdminOrderActions, pages: PageRenderer, clock: () => Date): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const checked = checkInput<OrderFilters>(orderFiltersSchema, req.query, { abortEarly: true });
    const filters: OrderFilters = checked.ok ? checked.value : { page: 1 };
    const list = await listOrders(dataSource, filters);
    const link = (page: number) =>
      `/admin/orders?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([k, v]) => k !== 'page' && v !== undefined)), page: String(page) })}`;
    res
      .status(checked.ok ? 200 : 400)
      .type('html')
      .send(
        pages.render(
          'admin/orders',
          'Orders',
          {
            error: checked.ok ? null : `The filter is invalid: ${checked.problems[0].message}`,
            filters: { from: filters.from ?? '', to: filters.to ?? '', q: filters.q ?? '' },
            statusOptions: STATUS_FILTER_LABELS.map(([value, label]) => ({ value, label, selected: filters.status === value })),
            total: list.total,
            page: list.page,
            pages: list.pages,
            prev: list.page > 1 ? link(list.page - 1) : null,
            next: list.page < list.pages ? link(list.page + 1) : null,
            orders: list.orders.map((o) => ({
              id: o.id,
              number: orderNumber(o.id),
              createdIso: o.createdAt.toISOString(),
              created: adminTime(o.createdAt),
              email: o.email,
              status: o.status,
              statusLabel: statusLabel(o.status),
              flagged: o.reviewReason !== null,
              total: formatMoney(money(o.total, o.currency)),
            })),
          },
          adminLayout(res, 'orders'),
        ),
      );
  });

  const renderOrder = (
    res: Response,
    order: OrderDetail,
    view: { notice?: string | null; error?: string | null; fieldError?: string | null; refundAmount?: string; trackingNote?: string },
  ) =>
    pages.render(
      'admin/order',
      `Order ${order.number}`,
      {
        order,
        created: adminTime(order.createdAt),
        createdIso: order.createdAt.toISOString(),
        timeline: order.timeline.map((e) => ({ ...e, iso: e.at.toISOString(), time: adminTime(e.at) })),
        csrfToken: adminContext(res)!.session.csrfToken,
        notice: view.notice ?? null,
        error: view.error ?? null,
        fieldError: view.fieldError ?? null,
        refundAmount: view.refundAmount ?? '',
        trackingNote: view.trackingNote ?? '',
      },
      adminLayout(res, 'orders'),
    );

  const load = async (id: number): Promise<OrderDetail> => {
    const order = await loadOrderDetail(dataSource, id, clock());
    if (!order) throw new DomainError('not_found', 'not_found', `There is no order ${orderNumber(id)}.`);
    return order;
  };

  router.get('/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'order number');
    const done =
      typeof req.query.done === 'string' && (ORDER_ACTIONS as readonly string[]).includes(req.query.done)
        ? DONE[req.query.done as OrderActionName]
        : null;
    res.type('html').send(renderOrder(res, await load(id), { notice: done }));
  });

  router.post('/:id/:action', async (req, res) => {
    const { id, action } = validate(actionParams, req.params, 'order action');
    const typed = { refundAmount: formField(req.body, 'amount'), trackingNote: formField(req.body, 'trackingNote') };
    try {
      await actions.run(adminActor(req, res), id, action, actionInput(action, req.body, false));
      res.redirect(303, `/admin/orders/${id}?done=${action}`);
    } catch (error) {
      const status = statusOf(knownError(error));
      if (!(error instanceof DomainError) || error.kind === 'not_found' || status >= 500) throw error;
      // A refused action shows why, on the order as it now is, and keeps what was typed.
      const fieldError = action === 'refund' && error.kind === 'invalid_input' ? 'amount' : null;
      res
        .status(status)
        .type('html')
        .send(renderOrder(res, await load(id), { error: error.message, fieldError, ...typed }));
    }
  });

  return router;
}

/** The same as JSON under `/api/admin/orders`. */
export function adminOrderApi(dataSource: DataSource, actions: AdminOrderActions, clock: () => Date): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const filters = validate(orderFiltersSchema, req.query, 'query');
    const list = await listOrders(dataSource, filters);
    res.json({
      ...list,
      orders: list.orders.map((o) => ({
        id: o.id,
        number: orderNumber(o.id),
        createdAt: o.createdAt,
        email: o.email,
        status: o.status,
        flagged: o.reviewReason !== null,
        total: money(o.total, o.currency),
      })),
    });
  });
  router.get('/:id', async (req, res) => {
    const { id } = validate(idParams, req.params, 'order number');
    const order = await loadOrderDetail(dataSource, id, clock());
    if (!order) throw new DomainError('not_found', 'not_found', `There is no order ${orderNumber(id)}.`);
    res.json(order);
  });
  router.post('/:id/:action', async (req, res) => {
    const { id, action } = validate(actionParams, req.params, 'order action');
    const result = await actions.run(adminActor(req, res), id, action, actionInput(action, req.body, true));
    res.json({ message: result.message, order: await loadOrderDetail(dataSource, id, clock()) });
  });
  return router;
}
