import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/** A reference server in its own process. */
export interface ReferenceProcess {
  readonly kind: 'express' | 'https';
  readonly origin: string;
  stop(): Promise<void>;
}

/** Starts reference-server.js (compiled next to this file) and reads the port it prints. */
export async function startReference(
  kind: 'express' | 'https',
  options: { certFile: string; keyFile: string; bodyFile: string; contentType: string; path: string },
): Promise<ReferenceProcess> {
  const script = path.join(__dirname, 'reference-server.js');
  const child = spawn(
    process.execPath,
    [script, kind, options.certFile, options.keyFile, options.bodyFile, options.contentType, options.path],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`the ${kind} reference did not start`)), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the ${kind} reference exited with ${code}`)));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { kind, origin: `https://127.0.0.1:${port}`, stop };
}
