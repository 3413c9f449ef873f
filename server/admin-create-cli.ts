import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from './config';
import { openDatabase } from './database';
import { DomainError } from './domain-error';
import { createAdmin } from './admin/auth/admin-accounts';
import { MIN_PASSWORD_LENGTH } from './admin/auth/password-hashing';

const USAGE = 'usage: npm run admin:create -- --email you@example.com   (password typed at the prompt, or piped on stdin)';

/** Reads one line from stdin; at a terminal, asks without echoing what is typed. */
async function readPassword(prompt: string): Promise<string> {
  const interactive = process.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: interactive ? output : undefined, terminal: interactive });
  try {
    if (interactive) process.stderr.write(prompt);
    muted = true;
    const line = await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => reject(new Error('no password was given on stdin')));
    });
    if (interactive) process.stderr.write('\n');
    return line;
  } finally {
    rl.close();
  }
}

/** `npm run admin:create -- --email …`: creates an admin account in the configured database. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  if (values.help || !values.email) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig();
  const password = await readPassword(`Password for ${values.email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  if (process.stdin.isTTY && (await readPassword('Same password again: ')) !== password) {
    console.error('The two passwords differ; nothing was created.');
    process.exit(2);
  }
  const dataSource = await openDatabase(config.database);
  try {
    const admin = await createAdmin(dataSource, values.email, password);
    console.log(`Admin ${admin.email} created. Log in at ${config.publicUrl}/admin`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('Creating the admin failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
