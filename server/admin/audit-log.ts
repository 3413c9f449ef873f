import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { AuditEntry, type AuditOutcome } from './audit-entry.entity';

/** What one audited event records. `detail` must never carry a password, session id or key. */
export interface AuditRecord {
  readonly adminId: number | null;
  readonly actor: string;
  readonly action: string;
  readonly target?: string | null;
  readonly outcome: AuditOutcome;
  readonly detail?: string | null;
  readonly ip: string;
}

const clip = (value: string | null | undefined, length: number): string | null => (value == null ? null : value.slice(0, length));

/** Appends one entry to the admin audit log: in the caller's transaction when given a manager, else in its own. */
export async function recordAudit(db: DataSource | EntityManager, record: AuditRecord): Promise<void> {
  if (!(db instanceof DataSource)) return insertAudit(db, record);
  await inTransaction(db, (manager) => insertAudit(manager, record));
}

async function insertAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  await manager.getRepository(AuditEntry).insert({
    adminId: record.adminId,
    actor: clip(record.actor, 254) ?? '',
    action: clip(record.action, 64) ?? '',
    target: clip(record.target, 120),
    outcome: record.outcome,
    detail: clip(record.detail, 500),
    ip: clip(record.ip, 45) ?? '',
  });
}
