/**
 * One budget of a row: `actual` must be at least (`min`) or at most (`max`) `limit`. A figure
 * that could not be measured (NaN) misses its budget.
 */
export interface BudgetCheck {
  readonly label: string;
  readonly actual: number;
  readonly limit: number;
  readonly direction: 'min' | 'max';
}

/** One row of the benchmark table. */
export interface BenchRow {
  /** Short id used on the command line (`--only`, `--profile`). */
  readonly id: string;
  readonly name: string;
  /** The measured figures, formatted. */
  readonly measured: string;
  /** The references measured in the same run, formatted ("" when the row has none). */
  readonly reference: string;
  /** The budget, as the issue states it. */
  readonly budget: string;
  readonly checks: readonly BudgetCheck[];
  /** Why a figure is missing, or what else the reader must know (e.g. an error count). */
  readonly note?: string;
  /**
   * When the measured part ran (`Date.now()` bounds), if the row also spends time on set-up:
   * `--profile` counts only the store's samples from this span.
   */
  readonly span?: { readonly from: number; readonly to: number };
}

/** What the table says about the machine and the software it ran on. */
export interface BenchEnvironment {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly express: string;
  readonly os: string;
  readonly loadGenerator: string;
  readonly date: string;
}

export function checkPasses(check: BudgetCheck): boolean {
  if (!Number.isFinite(check.actual)) return false;
  return check.direction === 'min' ? check.actual >= check.limit : check.actual <= check.limit;
}

/** A row meets its budget when it has at least one check and every check passes. */
export function rowPasses(row: BenchRow): boolean {
  return row.checks.length > 0 && row.checks.every(checkPasses);
}

/** The rows that miss a budget, for the exit code and the profiles. */
export function failingRows(rows: readonly BenchRow[]): BenchRow[] {
  return rows.filter((row) => !rowPasses(row));
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `12,345/s`; `n/a` when not measured. */
export function formatRate(perSecond: number, unit = '/s'): string {
  return Number.isFinite(perSecond) ? `${integer.format(perSecond)}${unit}` : 'n/a';
}

/** `12.3 ms`; `n/a` when not measured. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${oneDecimal.format(ms)} ms` : 'n/a';
}

/** `13 %` of a ratio 0.13; `n/a` when not measured. */
export function formatPercent(ratio: number): string {
  return Number.isFinite(ratio) ? `${integer.format(ratio * 100)} %` : 'n/a';
}

/** `5.1 KB` (KiB, as the budget counts them); `n/a` when not measured. */
export function formatKilobytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${oneDecimal.format(bytes / 1024)} KB` : 'n/a';
}

/** `142.0 MB` (MiB); `n/a` when not measured. */
export function formatMegabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${oneDecimal.format(bytes / (1024 * 1024))} MB` : 'n/a';
}

function verdict(row: BenchRow): string {
  if (rowPasses(row)) return 'pass';
  const missed = row.checks.filter((check) => !checkPasses(check)).map((check) => check.label);
  return missed.length > 0 ? `**FAIL** (${missed.join(', ')})` : '**FAIL** (not measured)';
}

/** A markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The environment lines and the table, as markdown (readable as plain text in a terminal too). */
export function formatTable(environment: BenchEnvironment, rows: readonly BenchRow[]): string {
  const lines = [
    `${environment.cores} cores (${environment.cpuModel}); Node ${environment.node}; Express ${environment.express}; ${environment.os}; ` +
      `${environment.loadGenerator}; ${environment.date}`,
    '',
    '| row | measured | reference (same run) | budget | result |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${[row.name, row.note ? `${row.measured} (${row.note})` : row.measured, row.reference || '—', row.budget, verdict(row)]
          .map(cell)
          .join(' | ')} |`,
    ),
  ];
  const failing = failingRows(rows).length;
  lines.push('', failing === 0 ? `Every budget met (${rows.length} rows).` : `${failing} of ${rows.length} rows miss their budget.`);
  return `${lines.join('\n')}\n`;
}
