import type { DataSource } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { keepNewest } from './bounded-table';
import type { Finding } from './payment-page-drift';
import type { PaymentPageReport } from './payment-page-fetch';
import { PaymentPageCheck } from './payment-page-check.entity';

/** The last check as the admin start page shows it. */
export interface LastCheck {
  readonly checkedAt: Date;
  readonly ok: boolean;
  readonly store: string;
  readonly findings: readonly Finding[];
  /** Set when the check could not fetch the pages at all. */
  readonly error: string | null;
}

type Stored = { findings: Finding[] } | { error: string };

/** Results of `npm run check:payment-pages`, newest kept (the last `limit` runs). */
export class PaymentPageChecks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limit = 100,
  ) {}

  /** Stores one run: its report, or the error that stopped it (which counts as not ok). */
  async record(store: string, outcome: PaymentPageReport | Error): Promise<void> {
    const stored: Stored = outcome instanceof Error ? { error: outcome.message.slice(0, 2000) } : { findings: [...outcome.findings] };
    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(PaymentPageCheck, {
        ok: !(outcome instanceof Error) && outcome.ok,
        store: store.slice(0, 200),
        findings: JSON.stringify(stored),
      });
      await keepNewest(manager, PaymentPageCheck, this.limit);
    });
  }

  async last(): Promise<LastCheck | null> {
    const [check] = await this.dataSource.getRepository(PaymentPageCheck).find({ order: { id: 'DESC' }, take: 1 });
    if (!check) return null;
    const stored = JSON.parse(check.findings) as Stored;
    return {
      checkedAt: check.checkedAt,
      ok: check.ok,
      store: check.store,
      findings: 'findings' in stored ? stored.findings : [],
      error: 'error' in stored ? stored.error : null,
    };
  }
}
