import fs from 'node:fs';
import path from 'node:path';

// The whole-suite secret scan. Test stores register the secrets they hold and the output they
// captured (log lines, a child process's stdout and stderr) into one folder per jest run; after the
// run, jest's global teardown (test/setup/secret-scan-teardown.ts) fails when any registered secret
// occurs in any captured output. Everything lives in files because jest runs suites in workers.

/** The environment variable naming the run's folder; set by test/setup/secret-scan-setup.ts. */
export const SCAN_DIR_ENV = 'PADLOCK_SECRET_SCAN_DIR';

/** Shorter values are too common to mean anything when found (and the sandbox's fixed values are not secrets). */
export const MIN_SECRET_LENGTH = 8;

/** A secret a test store held, and where it came from (`SECRETS_KEY`, `TOTP secret`, …). */
export interface RegisteredSecret {
  readonly source: string;
  readonly value: string;
}

/** Text a test store or process wrote, and whose it was. */
export interface CapturedOutput {
  readonly source: string;
  readonly text: string;
}

/** A secret found in an output; `secret` is masked so that the report does not leak it again. */
export interface Leak {
  readonly secret: string;
  readonly secretSource: string;
  readonly outputSource: string;
  readonly line: number;
}

/** The run's folder, created by the global setup; null outside a jest run with that setup (nothing is recorded then). */
export function scanDir(): string | null {
  return process.env[SCAN_DIR_ENV] ?? null;
}

function append(kind: 'secrets' | 'output', records: readonly (RegisteredSecret | CapturedOutput)[]): void {
  const dir = scanDir();
  if (records.length === 0 || dir === null) return;
  const file = path.join(dir, `${kind}-${process.pid}.jsonl`);
  fs.appendFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}

/** Registers secrets a test store held; empty, missing and too short values are skipped. */
export function registerSecrets(source: string, values: Iterable<string | null | undefined>): void {
  const kept = [...values].filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH);
  append(
    'secrets',
    kept.map((value) => ({ source, value })),
  );
}

/** Records output a test store or process wrote (its log lines, stdout, stderr). */
export function recordOutput(source: string, text: string): void {
  if (text !== '') append('output', [{ source, text }]);
}

function readRecords<T>(dir: string, kind: string): T[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.jsonl'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as T),
    );
}

/** Everything registered and recorded in a run's folder. */
export function readRun(dir: string): { secrets: RegisteredSecret[]; outputs: CapturedOutput[] } {
  return { secrets: readRecords<RegisteredSecret>(dir, 'secrets'), outputs: readRecords<CapturedOutput>(dir, 'output') };
}

/** A secret as it may be written down: as it is, or percent-encoded (in a logged URL). */
const spellings = (value: string): string[] => [...new Set([value, encodeURIComponent(value)])];

/** `abcd…(32)`: enough to tell secrets apart in a report, not enough to use one. */
export const masked = (value: string): string => `${value.slice(0, 4)}…(${value.length} chars)`;

/** Every occurrence of a registered secret in a captured output, one per secret and output line. */
export function findLeaks(secrets: readonly RegisteredSecret[], outputs: readonly CapturedOutput[]): Leak[] {
  const unique = new Map<string, string>();
  for (const s of secrets) if (s.value.length >= MIN_SECRET_LENGTH && !unique.has(s.value)) unique.set(s.value, s.source);
  const leaks: Leak[] = [];
  for (const output of outputs) {
    const lines = output.text.split('\n');
    lines.forEach((text, index) => {
      for (const [value, source] of unique) {
        if (spellings(value).some((spelling) => text.includes(spelling)))
          leaks.push({ secret: masked(value), secretSource: source, outputSource: output.source, line: index + 1 });
      }
    });
  }
  return leaks;
}

/** The failure message for leaks: which secret (masked), from where, in which output and line. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return [
    `${leaks.length} secret(s) appeared in captured output:`,
    ...leaks.map((l) => `  ${l.secretSource} ${l.secret} in ${l.outputSource}, line ${l.line}`),
  ].join('\n');
}
