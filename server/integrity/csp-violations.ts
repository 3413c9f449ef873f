import { In, type DataSource } from 'typeorm';
import { keepNewest } from './bounded-table';
import { inTransaction } from '../db/transaction';
import type { ReportedViolation } from './csp-report-parse';
import { CspViolation } from './csp-violation.entity';

/** One kind of violation as the admin sees it: how often, and when last. */
export interface ViolationSummary {
  readonly page: string;
  readonly directive: string;
  readonly blockedUrl: string;
  readonly sourceFile: string | null;
  readonly count: number;
  readonly lastSeen: Date;
}

/**
 * The CSP violations browsers report from the payment pages. The table is bounded: only the
 * newest `limit` reports are kept, so a flood of reports costs a fixed amount of space.
 */
export class CspViolations {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limit = 1000,
  ) {}

  async record(violations: readonly ReportedViolation[]): Promise<void> {
    if (violations.length === 0) return;
    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(
        CspViolation,
        violations.map((v) => ({ ...v })),
      );
      await keepNewest(manager, CspViolation, this.limit);
    });
  }

  /** The most recent kinds of violation (same page, directive and blocked URL), newest first. */
  async recent(kinds = 100): Promise<ViolationSummary[]> {
    const groups = await this.dataSource
      .getRepository(CspViolation)
      .createQueryBuilder('v')
      .select('v.page', 'page')
      .addSelect('v.directive', 'directive')
      .addSelect('v.blocked_url', 'blockedUrl')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MAX(v.id)', 'lastId')
      .groupBy('v.page')
      .addGroupBy('v.directive')
      .addGroupBy('v.blocked_url')
      .orderBy('lastId', 'DESC')
      .limit(kinds)
      .getRawMany<{ page: string; directive: string; blockedUrl: string; count: number | string; lastId: number | string }>();
    const latest = await this.dataSource.getRepository(CspViolation).findBy({ id: In(groups.map((g) => Number(g.lastId))) });
    const byId = new Map(latest.map((v) => [v.id, v]));
    return groups.flatMap((g) => {
      const last = byId.get(Number(g.lastId));
      return last
        ? [
            {
              page: g.page,
              directive: g.directive,
              blockedUrl: g.blockedUrl,
              sourceFile: last.sourceFile,
              count: Number(g.count),
              lastSeen: last.createdAt,
            },
          ]
        : [];
    });
  }
}
