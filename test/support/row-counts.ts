import type { DataSource } from 'typeorm';

/** How many rows each table of the store holds, by table name. */
export type RowCounts = Record<string, number>;

/**
 * Tables that count requests rather than keep what they carried: the DB-backed rate limits
 * (issue 11 part 4) necessarily write for refused requests too.
 */
const REQUEST_COUNTERS = /rate_?limit/i;

/** The row count of every table the DataSource's entities map to (new entities are included by themselves). */
export async function rowCounts(dataSource: DataSource): Promise<RowCounts> {
  const tables = [...new Set(dataSource.entityMetadatas.map((m) => m.tableName))].filter((t) => !REQUEST_COUNTERS.test(t)).sort();
  // One round trip for all tables: the fuzzer counts after every request.
  const union = tables.map((t, i) => `SELECT ${i} AS t, COUNT(*) AS n FROM ${dataSource.driver.escape(t)}`).join(' UNION ALL ');
  const rows = await dataSource.query<{ t: number | string; n: number | string }[]>(union);
  const counts: RowCounts = {};
  for (const row of rows) counts[tables[Number(row.t)]] = Number(row.n);
  return counts;
}

/** The tables whose counts differ, as `table: before → after`. */
export function countChanges(before: RowCounts, after: RowCounts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]} → ${after[t]}`);
}
