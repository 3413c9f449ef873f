import https from 'node:https';

/** One answer, body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A keep-alive HTTPS client for the store on loopback. The bench's certificate is self-signed
 * (and names only localhost), so it is not verified; the load generator does the same.
 */
export class BenchClient {
  private readonly agent: https.Agent;

  constructor(
    private readonly origin: string,
    maxSockets = 50,
  ) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false });
  }

  request(
    method: string,
    pathOrUrl: string,
    body?: { json: unknown } | { form: Record<string, string> } | { raw: string; headers: Record<string, string> },
  ): Promise<HttpAnswer> {
    const url = new URL(pathOrUrl, this.origin);
    let payload: string | undefined;
    let headers: Record<string, string> = {};
    if (body && 'json' in body) {
      payload = JSON.stringify(body.json);
      headers = { 'Content-Type': 'application/json' };
    } else if (body && 'form' in body) {
      payload = new URLSearchParams(body.form).toString();
      headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    } else if (body) {
      payload = body.raw;
      headers = body.headers;
    }
    if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Runs `task(i)` for i = 0…count-1 with at most `concurrency` in flight, starting no new task
 * once `deadline` (a `performance.now()` time) has passed. Returns the results and durations (ms)
 * of the tasks that ran, in start order, and the wall time of the whole run.
 */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ results: T[]; latenciesMs: number[]; elapsedMs: number }> {
  const results: T[] = [];
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      results[index] = await task(index);
      latenciesMs[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, latenciesMs, elapsedMs: performance.now() - started };
}
