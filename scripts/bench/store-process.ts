import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { STORE_NODE_FLAGS } from '../../server/node-flags';

/** A store started from dist/ the way `npm start` runs it, its log going to a file. */
export interface StoreProcess {
  readonly pid: number;
  readonly httpsPort: number;
  /** `https://127.0.0.1:<port>` for the load generator. */
  readonly origin: string;
  readonly logFile: string;
  /** The lines of the store's log that are JSON, parsed (read on demand: the log grows). */
  logLines(): Record<string, unknown>[];
  /** Resident set size now, from /proc/<pid>/status (VmRSS). */
  rssBytes(): number;
  /** SIGTERM (the store exits cleanly, so `--cpu-prof` writes its profile); SIGKILL after 15 s. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 90_000;

export function readRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // the last line may still be being written
      }
    });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Spawns `node dist/server/main.js` with `env` (plus PATH) and waits for its "is running" line,
 * which names the ports it got for PORT=0 / HTTPS_PORT=0.
 */
export async function startStore(options: {
  root: string;
  env: Record<string, string>;
  logFile: string;
  nodeArgs?: readonly string[];
}): Promise<StoreProcess> {
  const main = path.join(options.root, 'dist', 'server', 'main.js');
  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [...STORE_NODE_FLAGS, ...(options.nodeArgs ?? []), main], {
    cwd: options.root,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const logLines = () => parseLines(fs.readFileSync(options.logFile, 'utf8'));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 15_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      const running = logLines().find((line) => line.msg === 'Padlock Store is running');
      if (running && typeof running.httpsPort === 'number') {
        const httpsPort = running.httpsPort;
        return {
          pid: child.pid!,
          httpsPort,
          origin: `https://127.0.0.1:${httpsPort}`,
          logFile: options.logFile,
          logLines,
          rssBytes: () => readRssBytes(child.pid!),
          stop,
        };
      }
      if (child.exitCode !== null) throw new Error(`the store exited with ${child.exitCode}:\n${fs.readFileSync(options.logFile, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`the store did not start within ${STARTUP_TIMEOUT_MS / 1000} s (log: ${options.logFile})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
