import type { LastCheck } from '../integrity/payment-page-checks';
import { adminTime } from './admin-layout';

/** The last payment-page check as the start page and the security page show it. */
export function lastCheckView(check: LastCheck | null) {
  if (!check) return null;
  return {
    ok: check.ok,
    iso: check.checkedAt.toISOString(),
    time: adminTime(check.checkedAt),
    store: check.store,
    error: check.error,
    drift: check.findings.filter((f) => f.severity === 'drift'),
    notes: check.findings.filter((f) => f.severity === 'note'),
  };
}
