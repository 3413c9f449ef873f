import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freeLoopbackPort as freePort } from '../../support/loopback';

const run = promisify(execFile);

/**
 * A mariadbd of the test's own (its own data directory under `dir`, loopback TCP only, root
 * without a password), which the test may kill and start again on the same port and data.
 */
export class PrivateMariaDb {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** Creates the data directory (mariadb-install-db, at most 90 s) and starts the server. */
  static async create(dir: string): Promise<PrivateMariaDb> {
    const data = path.join(dir, 'data');
    await run(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
      { timeout: 90_000 },
    );
    const db = new PrivateMariaDb(dir, await freePort());
    await db.start();
    return db;
  }

  /** The DATABASE_URL of database `name` on this server. */
  url(name: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${name}`;
  }

  get running(): boolean {
    return this.process !== null;
  }

  /** Starts mariadbd and waits (at most 30 s) until it accepts a login. */
  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${path.join(this.dir, 'data')}`,
        '--user=root',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.dir, 'mariadbd.sock')}`,
        `--pid-file=${path.join(this.dir, 'mariadbd.pid')}`,
        `--log-error=${path.join(this.dir, 'error.log')}`,
        '--innodb-buffer-pool-size=32M',
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.process === child) this.process = null;
        resolve();
      }),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 2000 });
        await conn.end();
        return;
      } catch (err) {
        if (!this.process) throw new Error(`mariadbd exited while starting: ${this.errorLog()}`);
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept a login within 30 s: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Stops mariadbd with `signal` (SIGKILL: as a crash; SIGTERM: a clean shutdown) and waits until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.kill(signal);
    await this.exited;
  }

  async query(sql: string): Promise<void> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 5000 });
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8').slice(-2000);
    } catch {
      return '(no error log)';
    }
  }
}
