import type { DataSource, Logger } from 'typeorm';

/** Transaction control, which SQLite always has around writes and MariaDB only where needed. */
const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;

const RATE_LIMIT = /\brate_limit_hits\b/i;

/** What one piece of work sent to the database. */
export interface RecordedStatements {
  /**
   * The statements other than transaction control and rate-limit bookkeeping (counts, and the
   * sweep of ended windows that runs now and then), each on one line.
   */
  readonly work: string[];
  /** How many rate-limit counts were taken. */
  readonly rateLimitCounts: number;
  /** How many transactions were started. */
  readonly transactions: number;
}

/**
 * Records the SQL statements a DataSource sends, through its TypeORM logger (every query runner
 * reports each statement there before sending it), for tests that bound the round trips a
 * request costs.
 */
export class StatementRecorder {
  private recording: string[] | null = null;

  constructor(dataSource: DataSource) {
    const original = dataSource.logger;
    const recorder = Object.create(original) as Logger;
    recorder.logQuery = (query, parameters, queryRunner) => {
      this.recording?.push(query);
      original.logQuery(query, parameters, queryRunner);
    };
    Object.defineProperty(dataSource, 'logger', { value: recorder, configurable: true, writable: true });
  }

  /** Runs `work` and returns what it sent (nothing else may use the DataSource meanwhile). */
  async during(work: () => Promise<unknown>): Promise<RecordedStatements> {
    const statements: string[] = [];
    this.recording = statements;
    try {
      await work();
    } finally {
      this.recording = null;
    }
    return {
      work: statements.filter((s) => !TRANSACTION_CONTROL.test(s) && !RATE_LIMIT.test(s)).map((s) => s.replace(/\s+/g, ' ')),
      rateLimitCounts: statements.filter((s) => /^\s*INSERT\b/i.test(s) && RATE_LIMIT.test(s)).length,
      transactions: statements.filter((s) => /^\s*(START TRANSACTION|BEGIN)\b/i.test(s)).length,
    };
  }
}
