import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/database';
import { verifyPassword } from '../../server/admin/auth/password-hashing';

// `npm run admin:create` (the built CLI, as npm runs it after `build:server`), on an embedded store.

const CLI = path.join(__dirname, '..', '..', 'dist', 'server', 'admin-create-cli.js');

function runCli(args: string[], stdin: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('npm run admin:create', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-admin-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates an admin from a password piped on stdin, storing only its scrypt hash', async () => {
    const run = await runCli(['--email', 'Owner@Shop.test'], 'a long enough passphrase\n', dataDir);
    expect(run).toMatchObject({ code: 0, stdout: 'Admin owner@shop.test created. Log in at https://localhost:8443/admin\n' });
    const db = await openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'store.sqlite') });
    try {
      const rows: { email: string; password_hash: string }[] = await db.query('SELECT email, password_hash FROM admin_users');
      expect(rows).toHaveLength(1);
      expect(rows[0].email).toBe('owner@shop.test');
      expect(rows[0].password_hash).toMatch(/^scrypt\$17\$8\$1\$/);
      await expect(verifyPassword('a long enough passphrase', rows[0].password_hash)).resolves.toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it.each([
    [['--email', 'owner@shop.test'], 'another long passphrase\n', /already an admin with the email owner@shop\.test/],
    [['--email', 'second@shop.test'], 'too short\n', /at least 12 characters/],
    [['--email', 'not an email'], 'a long enough passphrase\n', /is not an email address/],
    [[], '', /usage: npm run admin:create -- --email/],
    [['--email', 'x@shop.test', '--role', 'owner'], '', /Unknown option '--role'/],
  ])('refuses %j with a message and exit code 2 (or 1), creating nothing', async (args, stdin, message) => {
    const run = await runCli(args, stdin, dataDir);
    expect(run.code).toBeGreaterThan(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr + run.stdout).not.toContain('passphrase');
  });
});
