import { parseArgs } from 'node:util';

/** Every row, in the order the table shows them, with the store (engine) it runs on. */
export const ROWS = [
  { id: 'catalog-sqlite', engine: 'sqlite' },
  { id: 'snapshot-sqlite', engine: 'sqlite' },
  { id: 'memory-sqlite', engine: 'sqlite' },
  { id: 'catalog-mariadb', engine: 'mariadb' },
  { id: 'snapshot-mariadb', engine: 'mariadb' },
  { id: 'checkout', engine: 'mariadb' },
  { id: 'callbacks', engine: 'mariadb' },
  { id: 'embed', engine: 'mariadb' },
  { id: 'memory-mariadb', engine: 'mariadb' },
] as const;

export type RowId = (typeof ROWS)[number]['id'];
export type Engine = (typeof ROWS)[number]['engine'];

/** The bench's command line, checked. */
export interface BenchOptions {
  readonly rows: readonly RowId[];
  /** The row whose store runs under `node --cpu-prof` (then only that row runs). */
  readonly profile: RowId | null;
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly connections: number;
  /** mysql://user:password@host:port/database: the bench creates and drops `<database>_bench_<random>` there. */
  readonly mysqlUrl: string;
  /** Where the markdown table is written. */
  readonly out: string;
}

export const USAGE = `npm run bench [-- options]
  --only <row,row…>     run only these rows (${ROWS.map((r) => r.id).join(', ')})
  --profile <row>       run only this row, its store under node --cpu-prof, and print the top self-time functions
  --rounds <n>          rounds per read row (default 3)
  --seconds <n>         seconds per load run (default 5)
  --connections <n>     keep-alive connections for the read rows (default 50)
  --mysql-url <url>     MariaDB server for the throwaway database (default mysql://padlock:padlock@127.0.0.1:3306/padlock_test,
                        the MariaDB test database: the bench creates padlock_test_bench_<random> and drops it)
  --out <file>          markdown output (default bench-results.md)`;

function rowId(value: string): RowId {
  const row = ROWS.find((r) => r.id === value);
  if (!row) throw new Error(`unknown row "${value}"; rows: ${ROWS.map((r) => r.id).join(', ')}`);
  return row.id;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/** Parses the bench's arguments; throws with a message naming the bad one. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      only: { type: 'string' },
      profile: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      'mysql-url': { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const profile = values.profile === undefined ? null : rowId(values.profile);
  const only = values.only === undefined ? null : values.only.split(',').map((id) => rowId(id.trim()));
  if (profile && only) throw new Error('--profile runs one row; do not combine it with --only');
  return {
    rows: profile ? [profile] : (only ?? ROWS.map((r) => r.id)),
    profile,
    rounds: positive('rounds', values.rounds, 3),
    roundSeconds: positive('seconds', values.seconds, 5),
    connections: positive('connections', values.connections, 50),
    mysqlUrl: values['mysql-url'] ?? 'mysql://padlock:padlock@127.0.0.1:3306/padlock_test',
    out: values.out ?? 'bench-results.md',
  };
}

/** The engines the selected rows need, in run order. */
export function enginesFor(rows: readonly RowId[]): Engine[] {
  return (['sqlite', 'mariadb'] as const).filter((engine) => ROWS.some((r) => r.engine === engine && rows.includes(r.id)));
}
