import fs from 'node:fs';
import path from 'node:path';
import { medianFigures, type RunFigures } from './bench-stats';
import { formatMs, formatPercent, formatRate, type BenchRow } from './bench-table';
import type { BenchClient } from './bench-http';
import { loadRun } from './load-run';
import { startReference, type ReferenceProcess } from './reference-process';

/** How a read row is measured. */
export interface ThroughputSettings {
  readonly connections: number;
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly warmupSeconds: number;
  readonly certFile: string;
  readonly keyFile: string;
  /** Where the row writes the store's body for the references. */
  readonly scratchDir: string;
  readonly log: (line: string) => void;
}

/** One read endpoint: the store serves it, the references serve its bytes. */
export interface ThroughputTarget {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  /** Of the bare Express route's requests/s. */
  readonly minShareOfExpress: number;
  /** p99 budget in ms, when the row has one. */
  readonly maxP99Ms?: number;
}

/**
 * Measures the store against a bare Express 5 route and bare node:https serving the same bytes
 * (fetched from the store once), each in its own process with the same certificate. The three
 * are loaded in turn, round after round, and each one's figures are the medians of its rounds.
 */
export async function measureThroughput(
  target: ThroughputTarget,
  storeOrigin: string,
  client: BenchClient,
  settings: ThroughputSettings,
): Promise<BenchRow> {
  const first = await client.request('GET', target.path);
  if (first.status !== 200) throw new Error(`GET ${target.path} answered ${first.status}`);
  const bodyFile = path.join(settings.scratchDir, `${target.id}.body`);
  fs.writeFileSync(bodyFile, first.body);
  const contentType = String(first.headers['content-type'] ?? 'application/octet-stream');

  const references: ReferenceProcess[] = [];
  try {
    for (const kind of ['express', 'https'] as const) {
      references.push(
        await startReference(kind, { certFile: settings.certFile, keyFile: settings.keyFile, bodyFile, contentType, path: target.path }),
      );
    }
    const targets = [{ label: 'store', origin: storeOrigin }, ...references.map((r) => ({ label: r.kind, origin: r.origin }))];
    const runs = new Map<string, RunFigures[]>(targets.map((t) => [t.label, []]));
    let failures = 0;
    for (const t of targets) await loadRun(`${t.origin}${target.path}`, settings.connections, settings.warmupSeconds);
    for (let round = 1; round <= settings.rounds; round++) {
      for (const t of targets) {
        const run = await loadRun(`${t.origin}${target.path}`, settings.connections, settings.roundSeconds);
        failures += t.label === 'store' ? run.failures : 0;
        runs.get(t.label)!.push(run);
        settings.log(
          `  ${target.id} round ${round} ${t.label}: ${formatRate(run.requestsPerSecond)} p99 ${formatMs(run.p99Ms)}${run.failures ? ` (${run.failures} failures)` : ''}`,
        );
      }
    }
    const store = medianFigures(runs.get('store')!);
    const bareExpress = medianFigures(runs.get('express')!);
    const bareHttps = medianFigures(runs.get('https')!);
    const share = store.requestsPerSecond / bareExpress.requestsPerSecond;
    const checks = [
      { label: `${formatPercent(share)} of Express`, actual: share, limit: target.minShareOfExpress, direction: 'min' as const },
      ...(target.maxP99Ms === undefined
        ? []
        : [{ label: `p99 ${formatMs(store.p99Ms)}`, actual: store.p99Ms, limit: target.maxP99Ms, direction: 'max' as const }]),
      // Errors answered fast would flatter the figure.
      { label: `${failures} failed requests`, actual: failures, limit: 0, direction: 'max' as const },
    ];
    return {
      id: target.id,
      name: target.name,
      measured: `${formatRate(store.requestsPerSecond)}, p99 ${formatMs(store.p99Ms)} = ${formatPercent(share)} of Express`,
      reference:
        `Express ${formatRate(bareExpress.requestsPerSecond)} (p99 ${formatMs(bareExpress.p99Ms)}); ` +
        `node:https ${formatRate(bareHttps.requestsPerSecond)} (p99 ${formatMs(bareHttps.p99Ms)}); ${Buffer.byteLength(first.body)} bytes`,
      budget: `≥ ${formatPercent(target.minShareOfExpress)} of Express${target.maxP99Ms === undefined ? '' : `, p99 ≤ ${target.maxP99Ms} ms`}`,
      checks,
      ...(failures > 0 ? { note: `${failures} failed requests` } : {}),
    };
  } finally {
    await Promise.all(references.map((r) => r.stop()));
  }
}
