import {
  checkPasses,
  failingRows,
  formatKilobytes,
  formatMegabytes,
  formatMs,
  formatPercent,
  formatRate,
  formatTable,
  rowPasses,
  type BenchEnvironment,
  type BenchRow,
} from '../../scripts/bench/bench-table';

// Budget evaluation and the table `npm run bench` prints and writes to bench-results.md.

const catalog: BenchRow = {
  id: 'catalog-sqlite',
  name: 'catalog GET /api/products (SQLite)',
  measured: '12,000/s, p99 20.0 ms = 86 % of Express',
  reference: 'Express 14,000/s (p99 9.0 ms); node:https 57,000/s (p99 3.0 ms); 2188 bytes',
  budget: '≥ 80 % of Express, p99 ≤ 25 ms',
  checks: [
    { label: '86 % of Express', actual: 0.857, limit: 0.8, direction: 'min' },
    { label: 'p99 20.0 ms', actual: 20, limit: 25, direction: 'max' },
  ],
};

/** A row without references. */
const row = (name: string, measured: string, budget: string, checks: BenchRow['checks'], note: string): BenchRow => ({
  id: name,
  name,
  measured,
  reference: '',
  budget,
  checks,
  note,
});

const environment: BenchEnvironment = {
  cores: 2,
  cpuModel: 'AMD EPYC',
  node: 'v20.20.2',
  express: '5.3.0',
  os: 'Debian GNU/Linux 12',
  loadGenerator: 'autocannon 8.0.0',
  date: '2026-12-01 23:00 UTC',
};

describe('budget checks', () => {
  it('a minimum is met at or above the limit, a maximum at or below it', () => {
    expect(checkPasses({ label: '', actual: 0.8, limit: 0.8, direction: 'min' })).toBe(true);
    expect(checkPasses({ label: '', actual: 0.79, limit: 0.8, direction: 'min' })).toBe(false);
    expect(checkPasses({ label: '', actual: 25, limit: 25, direction: 'max' })).toBe(true);
    expect(checkPasses({ label: '', actual: 25.1, limit: 25, direction: 'max' })).toBe(false);
  });

  it('a figure that was not measured (NaN, infinite) misses both kinds of budget', () => {
    expect(checkPasses({ label: '', actual: Number.NaN, limit: 0, direction: 'max' })).toBe(false);
    expect(checkPasses({ label: '', actual: Number.NaN, limit: 0, direction: 'min' })).toBe(false);
    expect(checkPasses({ label: '', actual: Number.POSITIVE_INFINITY, limit: 300, direction: 'min' })).toBe(false);
  });

  it('a row passes only when every check passes, and a row without checks (failed to run) never passes', () => {
    expect(rowPasses(catalog)).toBe(true);
    const slow = { ...catalog, checks: [catalog.checks[0], { ...catalog.checks[1], actual: 43 }] };
    expect(rowPasses(slow)).toBe(false);
    const broken = { ...catalog, checks: [] };
    expect(rowPasses(broken)).toBe(false);
    expect(failingRows([catalog, slow, broken])).toEqual([slow, broken]);
  });
});

describe('figures', () => {
  it('formats rates, milliseconds, shares and sizes, and says n/a for what was not measured', () => {
    expect(formatRate(1812.6)).toBe('1,813/s');
    expect(formatRate(312.2, ' orders/s')).toBe('312 orders/s');
    expect(formatMs(43.04)).toBe('43.0 ms');
    expect(formatPercent(0.1297)).toBe('13 %');
    expect(formatKilobytes(5255)).toBe('5.1 KB');
    expect(formatMegabytes(162_529_280)).toBe('155.0 MB');
    for (const format of [formatRate, formatMs, formatPercent, formatKilobytes, formatMegabytes]) expect(format(Number.NaN)).toBe('n/a');
  });
});

describe('formatTable', () => {
  it('starts with the machine and versions, then one markdown row per bench row with its verdict', () => {
    const slow = {
      ...catalog,
      id: 'catalog-mariadb',
      name: 'catalog (MariaDB)',
      checks: [{ ...catalog.checks[1], label: 'p99 43.0 ms', actual: 43 }],
    };
    const lines = formatTable(environment, [catalog, slow]).split('\n');
    expect(lines[0]).toBe('2 cores (AMD EPYC); Node v20.20.2; Express 5.3.0; Debian GNU/Linux 12; autocannon 8.0.0; 2026-12-01 23:00 UTC');
    expect(lines[2]).toBe('| row | measured | reference (same run) | budget | result |');
    expect(lines[4]).toBe(
      '| catalog GET /api/products (SQLite) | 12,000/s, p99 20.0 ms = 86 % of Express | ' +
        'Express 14,000/s (p99 9.0 ms); node:https 57,000/s (p99 3.0 ms); 2188 bytes | ≥ 80 % of Express, p99 ≤ 25 ms | pass |',
    );
    expect(lines[5]).toMatch(/\| \*\*FAIL\*\* \(p99 43\.0 ms\) \|$/);
    expect(lines).toContain('1 of 2 rows miss their budget.');
  });

  it('says so when every budget is met, shows a dash for rows without references, and keeps cells on one line', () => {
    const memory = row(
      'memory',
      '120.0 MB',
      '≤ 150 MB',
      [{ label: '', actual: 1, limit: 2, direction: 'max' }],
      'a | pipe\nand a line break',
    );
    const table = formatTable(environment, [memory]);
    expect(table).toContain('| memory | 120.0 MB (a \\| pipe and a line break) | — | ≤ 150 MB | pass |');
    expect(table).toContain('Every budget met (1 rows).');
  });

  it('marks a row that could not be measured as failed', () => {
    const broken = row('embed', 'not measured', '', [], 'Chromium missing');
    expect(formatTable(environment, [broken])).toContain('| embed | not measured (Chromium missing) | — |  | **FAIL** (not measured) |');
  });
});
