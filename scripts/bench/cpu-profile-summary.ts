/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that a self-time summary needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  /** Microseconds, on the profile's own clock. */
  readonly endTime: number;
  readonly startTime: number;
}

/**
 * The part of the profile to count, as microseconds before its end: the bench knows when a row
 * ran relative to the moment the profiled store exited, not on the profile's clock.
 */
export interface ProfileWindow {
  readonly fromUsBeforeEnd: number;
  readonly toUsBeforeEnd: number;
}

/** One function's share of the sampled time. */
export interface SelfTime {
  /** `name (file:line)`, the file relative to the repository. */
  readonly frame: string;
  readonly selfMs: number;
  /** Of the time the process was not idle. */
  readonly share: number;
}

/** A file URL made readable: `node_modules/express/lib/router.js` rather than `file:///work/…`. */
function shortFile(url: string, root: string): string {
  const file = url.replace(/^file:\/\//, '');
  if (file.startsWith(`${root}/`)) return file.slice(root.length + 1);
  const modules = file.lastIndexOf('/node_modules/');
  return modules >= 0 ? file.slice(modules + 1) : file;
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  const name = frame.functionName || '(anonymous)';
  // V8 line numbers are 0-based.
  return frame.url ? `${name} (${shortFile(frame.url, root)}:${frame.lineNumber + 1})` : name;
}

/**
 * The `top` functions by self time (time on the CPU in the function itself, not its callees),
 * summed over every node of the same function, counting only the samples inside `window` when
 * one is given. `(idle)` is left out of the ranking and of the total the shares are taken of.
 */
export function topSelfTimes(profile: CpuProfile, top: number, root = '', window?: ProfileWindow): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    at += us;
    if (window && (profile.endTime - at > window.fromUsBeforeEnd || profile.endTime - at < window.toUsBeforeEnd)) return;
    const frame = byNode.get(nodeId);
    if (!frame || frame.functionName === '(idle)') return;
    busyUs += us;
    const key = frameName(frame, root);
    totals.set(key, (totals.get(key) ?? 0) + us);
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
}

/** The summary as a markdown table. */
export function formatSelfTimes(rows: readonly SelfTime[]): string {
  return [
    '| self time | share | function |',
    '|---:|---:|---|',
    ...rows.map((row) => `| ${row.selfMs.toFixed(0)} ms | ${(row.share * 100).toFixed(1)} % | ${row.frame.replace(/\|/g, '\\|')} |`),
  ].join('\n');
}
