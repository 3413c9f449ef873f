import fs from 'node:fs';
import { describeLeaks, findLeaks, readRun, SCAN_DIR_ENV } from '../support/secret-scan';

/**
 * Jest global teardown: fails the run when a secret a test store held (SECRETS_KEY, gateway and
 * webhook secrets, the session-cookie secret, TOTP secrets, admin passwords) occurs in any output a
 * store or store process wrote during the whole run. The folder is kept when something leaked.
 */
export default function secretScanTeardown(): void {
  const dir = process.env[SCAN_DIR_ENV];
  if (!dir) return;
  const { secrets, outputs } = readRun(dir);
  const leaks = findLeaks(secrets, outputs);
  const lines = outputs.reduce((n, o) => n + o.text.split('\n').length, 0);
  if (leaks.length > 0) throw new Error(`${describeLeaks(leaks)}\n(captured output kept in ${dir})`);
  fs.rmSync(dir, { recursive: true, force: true });
  if (outputs.length > 0)
    process.stderr.write(
      `Secret scan: ${new Set(secrets.map((s) => s.value)).size} secrets, none in ${lines} lines of ${outputs.length} captured outputs.\n`,
    );
}
