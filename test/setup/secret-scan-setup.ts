import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCAN_DIR_ENV } from '../support/secret-scan';

/** Jest global setup: one folder for this run's secret scan, named to the workers through the environment. */
export default function secretScanSetup(): void {
  process.env[SCAN_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-secret-scan-'));
}
