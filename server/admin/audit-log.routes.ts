import { Router } from 'express';
import Joi from 'joi';
import type { DataSource } from 'typeorm';
import type { PageRenderer } from '../http/page-renderer';
import { validate } from '../validation';
import { adminLayout, adminTime } from './admin-layout';
import { AuditEntry } from './audit-entry.entity';

const PAGE_SIZE = 50;

const auditQuery = Joi.object<{ actor?: string; page: number }>({
  actor: Joi.string().trim().lowercase().max(254).empty(''),
  page: Joi.number().integer().min(1).max(100_000).default(1),
});

async function auditPage(dataSource: DataSource, query: { actor?: string; page: number }) {
  const [entries, total] = await dataSource.getRepository(AuditEntry).findAndCount({
    where: query.actor ? { actor: query.actor } : {},
    order: { id: 'DESC' },
    skip: (query.page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  return { entries, total, page: query.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** The audit log, newest first: `GET /admin/audit` (page) and `GET /api/admin/audit` (JSON). */
export function auditLogRoutes(dataSource: DataSource, pages: PageRenderer): { pages: Router; api: Router } {
  const pageRouter = Router();
  pageRouter.get('/', async (req, res) => {
    const query = validate(auditQuery, req.query, 'query');
    const page = await auditPage(dataSource, query);
    const link = (n: number) => `/admin/audit?${new URLSearchParams({ ...(query.actor ? { actor: query.actor } : {}), page: String(n) })}`;
    res.type('html').send(
      pages.render(
        'admin/audit',
        'Audit log',
        {
          actor: query.actor ?? '',
          total: page.total,
          page: page.page,
          pages: page.pages,
          prev: page.page > 1 ? link(page.page - 1) : null,
          next: page.page < page.pages ? link(page.page + 1) : null,
          entries: page.entries.map((e) => ({ ...e, iso: e.createdAt.toISOString(), time: adminTime(e.createdAt) })),
        },
        adminLayout(res, 'audit'),
      ),
    );
  });
  const api = Router();
  api.get('/', async (req, res) => {
    res.json(await auditPage(dataSource, validate(auditQuery, req.query, 'query')));
  });
  return { pages: pageRouter, api };
}
